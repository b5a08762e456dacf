import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Capability, CoverCapability, Device, LightCapability, ThermostatCapability } from '../../../src/core/model';
import { mapOverkizDevice } from '../../../src/integrations/overkiz/devices';
import { setupSchema } from '../../../src/integrations/overkiz/schemas';
import { clip, shapeOf } from '../../../src/matter/binder';
import { heaterCoolerPart, thermostatPart } from '../../../src/matter/climate';
import { coverPart, liftOf, openPercentOf } from '../../../src/matter/cover';
import { fanPart } from '../../../src/matter/fan';
import { levelOf, lightPart, percentOf } from '../../../src/matter/light';
import { partFor } from '../../../src/matter/parts';
import { illuminanceOf, sensorPart } from '../../../src/matter/sensors';

const REAL = join(__dirname, '../../fixtures/overkiz/real');
const realDevices: Device[] = readdirSync(REAL)
  .filter((f) => f.startsWith('setup_'))
  .flatMap((f) => setupSchema.parse(JSON.parse(readFileSync(join(REAL, f), 'utf8'))).devices)
  .map((d) => mapOverkizDevice(d))
  .filter((d): d is Device => d !== undefined);

/** Where a Matter attribute holds a value that matter.js would refuse or that would mean nothing. */
function problems(value: unknown, path: string): string[] {
  if (value === undefined) return [`${path} is undefined`];
  if (typeof value === 'number' && !Number.isFinite(value)) return [`${path} is ${value}`];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => problems(v, `${path}.${k}`));
  return [];
}

const HAP_ONLY: Array<Capability['kind']> = ['battery', 'energy', 'securitySystem', 'button'];

describe('Matter parts on the real Overkiz accounts', () => {
  it('every capability of every real device has a Matter device type with valid attributes, or is one of the HAP-only kinds', () => {
    expect(realDevices.length).toBeGreaterThan(100);
    const seen = new Set<string>();
    for (const device of realDevices) {
      for (const cap of device.capabilities) {
        const spec = partFor(cap);
        if (!spec) {
          const why = cap.kind === 'sensor' ? `sensor:${cap.sensor}` : cap.kind;
          expect([...HAP_ONLY, 'sensor:co2']).toContain(why);
          continue;
        }
        seen.add(spec.deviceType);
        expect(problems(spec.state, `${device.name}/${cap.id}`)).toEqual([]);
        for (const cluster of Object.keys(spec.handlers ?? {})) expect(typeof cluster).toBe('string');
      }
    }
    // The accounts hold covers, lights, switches, heaters, heat pumps, ventilation and sensors.
    expect([...seen].sort()).toEqual(
      expect.arrayContaining(['WindowCovering', 'DimmableLight', 'OnOffSwitch', 'Thermostat', 'Fan', 'TemperatureSensor', 'ContactSensor']),
    );
  });

  it('a real cover: the lift Matter reads is its closure, and every lift a controller asks comes back as the same position', () => {
    const cover = realDevices.flatMap((d) => d.capabilities).find((c): c is CoverCapability => c.kind === 'cover')!;
    const wc = coverPart(cover).state.windowCovering;
    expect(wc.currentPositionLiftPercent100ths).toBe((100 - cover.currentPosition) * 100);
    for (let open = 0; open <= 100; open++) {
      expect(openPercentOf(liftOf(open))).toBe(open);
      expect(coverPart(cover).handlers!.windowCovering.goToLiftPercentage({ liftPercent100thsValue: liftOf(open) }, cover)).toEqual([
        { type: 'setPosition', position: open },
      ]);
    }
    expect(coverPart({ ...cover, canHold: true }).handlers!.windowCovering.stopMotion({}, { ...cover, canHold: true })).toEqual([
      { type: 'hold' },
    ]);
    expect(coverPart(cover).handlers!.windowCovering.goToLiftPercentage({ liftPercent100thsValue: 'x' }, cover)).toEqual([]);
  });

  it('levels, temperatures and lux in Matter units, and back', () => {
    for (let p = 1; p <= 100; p++) expect(percentOf(levelOf(p))).toBe(p);
    expect(levelOf(0)).toBe(1); // Matter's lowest level is 1
    expect(illuminanceOf(1000)).toBe(30_001);
    expect(illuminanceOf(0)).toBe(0);
    expect(illuminanceOf(undefined)).toBeNull();
    expect(sensorPart({ kind: 'sensor', id: 't', name: 't', sensor: 'temperature', value: 19.37 })!.state).toEqual({
      temperatureMeasurement: { measuredValue: 1937 },
    });
    // Matter's contact sensor is true while in contact (closed); ours is true while open.
    expect(sensorPart({ kind: 'sensor', id: 'c', name: 'c', sensor: 'contact', value: true })!.state).toEqual({
      booleanState: { stateValue: false },
    });
    expect(sensorPart({ kind: 'sensor', id: 'x', name: 'x', sensor: 'co2', value: 600 })).toBeUndefined();
  });

  it('a heater: the schedule shows as Heat, a setpoint equal to ours is no write (our own push echoed), a new one is', () => {
    const heater: ThermostatCapability = {
      kind: 'thermostat',
      id: 'h',
      name: 'Office heater',
      currentTemperature: 19.5,
      targetTemperature: 20,
      mode: 'auto',
      active: 'heat',
      minTarget: 7,
      maxTarget: 28,
      step: 0.5,
      modes: ['auto', 'heat', 'off'],
    };
    const part = thermostatPart(heater);
    expect(part.state.thermostat).toMatchObject({ systemMode: 4, controlSequenceOfOperation: 2, occupiedHeatingSetpoint: 2000 });
    expect(part.state.thermostat.occupiedCoolingSetpoint).toBeUndefined();
    const t = part.handlers!.thermostat;
    expect(t.occupiedHeatingSetpointChange({ occupiedHeatingSetpoint: 2000 }, heater)).toEqual([]);
    expect(t.occupiedHeatingSetpointChange({ occupiedHeatingSetpoint: 2150 }, heater)).toEqual([
      { type: 'setTargetTemperature', temperature: 21.5 },
    ]);
    expect(t.systemModeChange({ systemMode: 4 }, heater)).toEqual([]);
    expect(t.systemModeChange({ systemMode: 0 }, heater)).toEqual([{ type: 'setMode', mode: 'off' }]);
    expect(t.systemModeChange({ systemMode: 3 }, heater)).toEqual([]); // it cannot cool
  });

  it('a heat pump: off is Active off, a mode while off switches it on first, both setpoints with no dead band', () => {
    const pump = realDevices.flatMap((d) => d.capabilities).find((c) => c.kind === 'heaterCooler');
    expect(pump).toBeDefined();
    if (pump?.kind !== 'heaterCooler') return;
    const off = { ...pump, active: false };
    const part = heaterCoolerPart(off);
    expect(part.state.thermostat.systemMode).toBe(0);
    const wanted = off.modes.includes('cool') ? 'cool' : 'heat';
    expect(part.handlers!.thermostat.systemModeChange({ systemMode: wanted === 'cool' ? 3 : 4 }, off)).toEqual([
      { type: 'setOn', on: true },
      { type: 'setMode', mode: wanted },
    ]);
    expect(
      heaterCoolerPart({ ...pump, active: true }).handlers!.thermostat.systemModeChange({ systemMode: 0 }, { ...pump, active: true }),
    ).toEqual([{ type: 'setOn', on: false }]);
    if (pump.heatingTarget !== undefined && pump.coolingTarget !== undefined) expect(part.state.thermostat.minSetpointDeadBand).toBe(0);
  });

  it('a colour lamp keeps a colour temperature (Matter requires one); hue and saturation become our two commands', () => {
    const lamp: LightCapability = { kind: 'light', id: 'l', name: 'Lamp', on: true, brightness: 50, hue: 180, saturation: 50 };
    const part = lightPart(lamp);
    expect(part.deviceType).toBe('ExtendedColorLight');
    expect(part.state.colorControl).toMatchObject({ colorMode: 0, currentHue: 127, currentSaturation: 127, colorTemperatureMireds: 250 });
    expect(part.handlers!.colorControl.moveToHueAndSaturationLogic({ hue: 254, saturation: 254 }, lamp)).toEqual([
      { type: 'setHue', hue: 360 },
      { type: 'setSaturation', saturation: 100 },
    ]);
    expect(part.handlers!.onOff.toggle({}, lamp)).toEqual([{ type: 'setOn', on: false }]);
  });

  it('a fan: the speed we show is no write; a new mode or percentage is, 0 % switches it off', () => {
    const fan = { kind: 'fan' as const, id: 'f', name: 'Ventilation', on: true, speed: 66, speedSteps: 3, auto: false };
    const h = fanPart(fan).handlers!.fanControl;
    expect(h.percentSettingChange({ percentSetting: 66 }, fan)).toEqual([]);
    expect(h.fanModeChange({ fanMode: 2 }, fan)).toEqual([]);
    expect(h.fanModeChange({ fanMode: 3 }, fan)).toEqual([{ type: 'setFanSpeed', speed: 100 }]);
    expect(h.percentSettingChange({ percentSetting: 0 }, fan)).toEqual([{ type: 'setOn', on: false }]);
  });

  it('names, models and serials fit Matter 32 bytes without cutting a character; a new capability changes the shape', () => {
    expect(clip('Positionable horizontal awning (io)')).toBe('Positionable horizontal awning');
    expect(Buffer.byteLength(clip('Salle de séjour – volet roulant électrique'))).toBeLessThanOrEqual(32);
    expect(clip('Éé'.repeat(20)).length).toBe(16);
    expect(clip('Salon')).toBe('Salon');
    const device = realDevices.find((d) => d.capabilities.some((c) => c.kind === 'cover'))!;
    const cover = device.capabilities.find((c) => c.kind === 'cover')!;
    expect(shapeOf(device)).toBe(shapeOf({ ...device, name: 'renamed' }));
    expect(shapeOf({ ...device, capabilities: [...device.capabilities, { ...cover, id: 'tilted', tilt: 0 }] })).not.toBe(shapeOf(device));
  });
});
