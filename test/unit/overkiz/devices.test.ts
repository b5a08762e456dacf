import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RejectedError } from '../../../src/core/errors';
import type { Capability, Device } from '../../../src/core/model';
import { mapOverkizDevice, modelName, overkizCommands } from '../../../src/integrations/overkiz/devices';
import { type OverkizDevice, setupSchema } from '../../../src/integrations/overkiz/schemas';
import { withStates } from '../../../src/integrations/overkiz/states';

const setup = setupSchema.parse(JSON.parse(readFileSync(join(__dirname, '../../fixtures/overkiz/setup.json'), 'utf8')));
const byLabel = (label: string): OverkizDevice => setup.devices.find((d) => d.label === label)!;
const mapped = (label: string, opts = {}): Device => mapOverkizDevice(byLabel(label), opts)!;
const cap = <K extends Capability['kind']>(label: string, kind: K, opts = {}) =>
  mapped(label, opts).capabilities.find((c) => c.kind === kind) as Extract<Capability, { kind: K }>;

describe('Overkiz /setup -> devices', () => {
  it('maps every supported uiClass/widget of the fixture (at least 20 device kinds) and nothing else', () => {
    const kinds = new Set(setup.devices.filter((d) => mapOverkizDevice(d)).map((d) => `${d.uiClass}/${d.widget}`));
    expect(kinds.size).toBeGreaterThanOrEqual(20);
    expect(mapOverkizDevice(byLabel('Box'))).toBeUndefined();
    // a media player is a play/pause switch
    expect(mapOverkizDevice(byLabel('Music'))?.capabilities).toEqual([{ kind: 'switch', id: 'play', name: 'Music', on: false }]);
  });

  it('inverts closure for shutters (Overkiz 100 = closed, HomeKit 100 = open) and reads movement', () => {
    expect(cap('Living room shutter', 'cover')).toMatchObject({
      currentPosition: 70,
      targetPosition: 70,
      positionState: 'stopped',
      canHold: true,
    });
    expect(cap('Bedroom shutter', 'cover')).toMatchObject({ currentPosition: 0, targetPosition: 100, positionState: 'increasing' });
    expect(cap('Roof window', 'cover')).toMatchObject({ currentPosition: 0 });
    expect(cap('Curtain', 'cover')).toMatchObject({ currentPosition: 80 });
    expect(cap('Patio screen', 'cover')).toMatchObject({ currentPosition: 20 });
  });

  it('uses deployment for awnings, tilt for venetian blinds and pergolas', () => {
    expect(cap('Terrace awning', 'cover')).toMatchObject({ currentPosition: 40 });
    // slat orientation 0 is open (HomeKit 0°), 100 closed (90°)
    expect(cap('Office blind', 'cover')).toMatchObject({ currentPosition: 100, tilt: 45 });
    // a bioclimatic pergola has slats only: its position is how open they are, and it has no tilt of its own
    expect(cap('Pergola', 'cover')).toMatchObject({ currentPosition: 70, targetPosition: 70 });
    expect(cap('Pergola', 'cover')).not.toHaveProperty('tilt');
  });

  it('keeps an assumed position for devices without feedback (RTS) and for missing states', () => {
    expect(cap('Garage side shutter (RTS)', 'cover')).toMatchObject({ currentPosition: 50, assumed: true });
    const rts = byLabel('Garage side shutter (RTS)');
    expect(cap('Garage side shutter (RTS)', 'cover', { assumedPositions: new Map([[rts.deviceURL, 100]]) })).toMatchObject({
      currentPosition: 100,
    });
    expect(cap('Shutter without states', 'cover')).toMatchObject({ assumed: true });
  });

  it('offers the "my" position as a switch only when asked and supported', () => {
    expect(mapped('Living room shutter').capabilities.map((c) => c.id)).toEqual(['cover']);
    expect(cap('Living room shutter', 'switch', { myPositionSwitch: true })).toMatchObject({ id: 'my', momentary: true });
    expect(mapped('Roof window', { myPositionSwitch: true }).capabilities.map((c) => c.id)).toEqual(['cover']);
  });

  it('maps garage doors and gates, lights, plugs, heaters and locks', () => {
    expect(cap('Garage door', 'garageDoor')).toMatchObject({ current: 'closed', target: 'closed' });
    expect(cap('Driveway gate', 'garageDoor')).toMatchObject({ current: 'open', target: 'open' });
    expect(cap('Kitchen light', 'light')).toEqual({ kind: 'light', id: 'light', name: 'Kitchen light', on: true, brightness: 64 });
    expect(cap('Porch light', 'light')).toEqual({ kind: 'light', id: 'light', name: 'Porch light', on: false });
    expect(cap('Pool pump', 'switch')).toMatchObject({ on: true });
    expect(cap('Coffee plug', 'outlet')).toMatchObject({ on: false });
    expect(cap('Bathroom heater', 'thermostat', { pairedTemperature: 19.8 })).toMatchObject({
      targetTemperature: 20.5,
      currentTemperature: 19.8,
      mode: 'heat',
      modes: ['off', 'heat', 'auto'],
    });
    expect(cap('Front door lock', 'lock')).toMatchObject({ current: 'secured', target: 'secured' });
    expect(cap('Front door lock', 'battery')).toMatchObject({ level: 15, low: true });
  });

  it('maps every sensor to its HomeKit sensor type', () => {
    const sensor = (label: string) => cap(label, 'sensor');
    expect(sensor('Bathroom heater temperature')).toMatchObject({ sensor: 'temperature', value: 19.8 });
    expect(sensor('Cellar humidity')).toMatchObject({ sensor: 'humidity', value: 71.5 });
    expect(sensor('Garden light level')).toMatchObject({ sensor: 'light', value: 850 });
    expect(sensor('Back door')).toMatchObject({ sensor: 'contact', value: true });
    expect(sensor('Kitchen window handle')).toMatchObject({ sensor: 'contact', value: true });
    expect(sensor('Hall presence')).toMatchObject({ sensor: 'occupancy', value: false });
    expect(sensor('Stairs motion')).toMatchObject({ sensor: 'motion', value: true });
    expect(cap('Stairs motion', 'battery')).toMatchObject({ low: true });
    expect(cap('Back door', 'battery')).toMatchObject({ low: false });
    expect(sensor('Attic smoke')).toMatchObject({ sensor: 'smoke', value: false });
    expect(sensor('Washer leak')).toMatchObject({ sensor: 'leak', value: true });
  });

  it('names models in words with their protocol, not as raw class names', () => {
    expect(modelName('PositionableRollerShutter', 'io://1234/1')).toBe('Positionable roller shutter (io)');
    expect(modelName('DimmerHueSatOrCTLight', 'hue://1234/lights/2')).toBe('Dimmer hue sat or CT light (hue)');
    expect(modelName('UpDownRollerShutter', 'rts://1234/5')).toBe('Up down roller shutter (rts)');
    expect(modelName('HitachiAirToAirHeatPump', 'hlrrwifi://1234/6')).toBe('Hitachi air to air heat pump (hlrrwifi)');
  });

  it('fills identity and availability', () => {
    expect(mapped('Living room shutter')).toMatchObject({
      id: 'io://0000-1111-2222/100001',
      manufacturer: 'Somfy',
      model: 'Positionable roller shutter (io)',
      serial: '0000-1111-2222/100001',
      firmware: '5100394X23',
      available: true,
    });
    expect(mapped('Broken shutter').available).toBe(false);
  });

  it('applies DeviceStateChangedEvent values', () => {
    const moved = withStates(byLabel('Living room shutter'), [{ name: 'core:ClosureState', value: 0 }, null, { value: 3 }]);
    expect(mapOverkizDevice(moved)!.capabilities[0]).toMatchObject({ currentPosition: 100 });
  });
});

describe('HomeKit commands -> Overkiz commands', () => {
  const c = (label: string, command: Parameters<typeof overkizCommands>[1]) => overkizCommands(byLabel(label), command);

  it('positions covers by closure, deployment or open/close, holds with stop, tilts with orientation', () => {
    expect(c('Living room shutter', { capabilityId: 'cover', type: 'setPosition', position: 75 })).toEqual([
      { name: 'setClosure', parameters: [25] },
    ]);
    expect(c('Terrace awning', { capabilityId: 'cover', type: 'setPosition', position: 60 })).toEqual([
      { name: 'setDeployment', parameters: [60] },
    ]);
    // RTS commands carry a 0 duration so the next command is not blocked for 30 s
    expect(c('Garage side shutter (RTS)', { capabilityId: 'cover', type: 'setPosition', position: 100 })).toEqual([
      { name: 'open', parameters: [0] },
    ]);
    expect(c('Garage side shutter (RTS)', { capabilityId: 'cover', type: 'setPosition', position: 0 })).toEqual([
      { name: 'close', parameters: [0] },
    ]);
    expect(c('Driveway gate', { capabilityId: 'door', type: 'setDoor', target: 'closed' })).toEqual([{ name: 'close', parameters: [0] }]);
    expect(c('Living room shutter', { capabilityId: 'cover', type: 'hold' })).toEqual([{ name: 'stop', parameters: [] }]);
    expect(c('Pergola', { capabilityId: 'cover', type: 'setPosition', position: 100 })).toEqual([
      { name: 'setOrientation', parameters: [0] },
    ]);
    expect(() => c('Pergola', { capabilityId: 'cover', type: 'setTilt', tilt: 10 })).toThrow(/not supported/);
    expect(c('Office blind', { capabilityId: 'cover', type: 'setTilt', tilt: 90 })).toEqual([
      { name: 'setOrientation', parameters: [100] },
    ]);
    expect(c('Living room shutter', { capabilityId: 'my', type: 'setOn', on: true })).toEqual([{ name: 'my', parameters: [] }]);
  });

  it('drives doors, lights, switches, heaters and locks', () => {
    expect(c('Garage door', { capabilityId: 'door', type: 'setDoor', target: 'open' })).toEqual([{ name: 'open', parameters: [] }]);
    expect(c('Kitchen light', { capabilityId: 'light', type: 'setBrightness', brightness: 30 })).toEqual([
      { name: 'setIntensity', parameters: [30] },
    ]);
    expect(c('Porch light', { capabilityId: 'light', type: 'setOn', on: true })).toEqual([{ name: 'on', parameters: [] }]);
    expect(c('Coffee plug', { capabilityId: 'switch', type: 'setOn', on: false })).toEqual([{ name: 'off', parameters: [] }]);
    expect(c('Bathroom heater', { capabilityId: 'thermostat', type: 'setTargetTemperature', temperature: 21 })).toEqual([
      { name: 'setTargetTemperature', parameters: [21] },
    ]);
    // a setpoint heater switches off with its operating mode (standby), not with a heating level
    expect(c('Bathroom heater', { capabilityId: 'thermostat', type: 'setMode', mode: 'off' })).toEqual([
      { name: 'setOperatingMode', parameters: ['standby'] },
    ]);
    expect(c('Bathroom heater', { capabilityId: 'thermostat', type: 'setMode', mode: 'auto' })).toEqual([
      { name: 'setOperatingMode', parameters: ['internal'] },
    ]);
    expect(c('Front door lock', { capabilityId: 'lock', type: 'setLock', target: 'unsecured' })).toEqual([
      { name: 'unlock', parameters: [] },
    ]);
  });

  it('refuses what a device does not advertise', () => {
    expect(() => c('Shutter without states', { capabilityId: 'cover', type: 'hold' })).toThrow(RejectedError);
    expect(() => c('Porch light', { capabilityId: 'light', type: 'setBrightness', brightness: 10 })).toThrow(/not supported/);
    expect(() => c('Back door', { capabilityId: 'sensor', type: 'setOn', on: true })).toThrow(RejectedError);
  });
});
