import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Capability, Command } from '../../../src/core/model';
import { mapOverkizDevice, overkizActionCommands, overkizCommands } from '../../../src/integrations/overkiz/devices';
import { pairedSensor } from '../../../src/integrations/overkiz/grouping';
import type { MapOptions } from '../../../src/integrations/overkiz/families';
import { orientationOf, tiltOf } from '../../../src/integrations/overkiz/families/covers';
import { priorityLock } from '../../../src/integrations/overkiz/priorityLock';
import { type OverkizDevice, setupSchema } from '../../../src/integrations/overkiz/schemas';

/** Devices exactly as real servers sent them (test/fixtures/overkiz/real, from shared/fixtures/overkiz). */
const REAL = join(__dirname, '../../fixtures/overkiz/real');
const setup = (file: string) => setupSchema.parse(JSON.parse(readFileSync(join(REAL, file), 'utf8')));
const byWidget = (file: string, widget: string, n = 0): OverkizDevice => {
  const found = setup(file).devices.filter((d) => (d.widget ?? d.definition.widgetName) === widget);
  if (!found[n]) throw new Error(`no ${widget} #${n} in ${file}`);
  return found[n];
};
/** A real device with one state changed (the other values as the server sent them). */
const withState = (d: OverkizDevice, name: string, value: unknown): OverkizDevice => ({
  ...d,
  states: d.states.map((st) => (st.name === name ? { ...st, value } : st)),
});
const caps = (d: OverkizDevice, opts: MapOptions = {}): Capability[] => mapOverkizDevice(d, opts)?.capabilities ?? [];
const first = (d: OverkizDevice, kind: Capability['kind'], opts: MapOptions = {}) => caps(d, opts).find((c) => c.kind === kind);

/** Every command sent is one the device declares, with the parameter count it declares. */
function send(d: OverkizDevice, command: Command): Array<[string, ...unknown[]]> {
  const out = overkizCommands(d, command);
  for (const c of out) {
    const declared = d.definition.commands.find((x) => x.commandName === c.name);
    expect({ command: c.name, declared: declared !== undefined }).toEqual({ command: c.name, declared: true });
    if (declared?.nparams !== undefined && !d.deviceURL.startsWith('rts://')) expect(c.parameters).toHaveLength(declared.nparams);
  }
  return out.map((c) => [c.name, ...c.parameters]);
}

describe('Overkiz families on real devices', () => {
  it('exterior screens are closure covers: open at closure 0, opened with setClosure(0)', () => {
    const screen = byWidget('setup_local_tahoma.json', 'PositionableScreen');
    expect(first(screen, 'cover')).toMatchObject({ currentPosition: 100, targetPosition: 100 });
    expect(send(screen, { capabilityId: 'cover', type: 'setPosition', position: 100 })).toEqual([['setClosure', 0]]);
    expect(send(screen, { capabilityId: 'cover', type: 'setPosition', position: 30 })).toEqual([['setClosure', 70]]);
  });

  it('a bioclimatic pergola is its slats: closed slats (orientation 100) = 0 %, written with setOrientation', () => {
    const pergola = byWidget('setup_local_tahoma.json', 'BioclimaticPergola');
    expect(first(pergola, 'cover')).toMatchObject({ currentPosition: 0 });
    expect(first(pergola, 'cover')).not.toHaveProperty('assumed');
    expect(send(pergola, { capabilityId: 'cover', type: 'setPosition', position: 100 })).toEqual([['setOrientation', 0]]);
    expect(() => overkizCommands(pergola, { capabilityId: 'cover', type: 'setTilt', tilt: 0 })).toThrow(/not supported/);
  });

  it('slat orientation 0 is open: HomeKit tilt 0°; 100 is closed: 90° (either sign written as 100)', () => {
    expect([tiltOf(0), tiltOf(50), tiltOf(100)]).toEqual([0, 45, 90]);
    expect([orientationOf(0), orientationOf(45), orientationOf(-90), orientationOf(90)]).toEqual([0, 50, 100, 100]);
  });

  it('intrusion sensors follow the states they really report', () => {
    const vibration = byWidget('setup_tahoma_intellitag.json', 'IntrusionSensor');
    expect(first(vibration, 'sensor')).toMatchObject({ sensor: 'contact', value: true });
    const sliding = byWidget('setup_tahoma_intellitag.json', 'IntrusionEventSensor');
    expect(first(sliding, 'sensor')).toMatchObject({ sensor: 'contact', value: false });
  });

  it('a CO2Sensor widget (uiClass AirSensor) is a CO2 sensor', () => {
    const co2 = byWidget('setup_cozytouch_4.json', 'CO2Sensor');
    expect(first(co2, 'sensor')).toMatchObject({ sensor: 'co2' });
  });

  it('valves: own range (5-26 °C), a target is a derogation until further notice, auto exits it', () => {
    const valve = byWidget('setup_3_gateways.json', 'ValveHeatingTemperatureInterface');
    expect(first(valve, 'thermostat')).toMatchObject({ minTarget: 5, maxTarget: 26, mode: 'heat', modes: ['heat', 'auto'] });
    expect(send(valve, { capabilityId: 'thermostat', type: 'setTargetTemperature', temperature: 5.5 })).toEqual([
      ['setDerogation', 5.5, 'further_notice'],
    ]);
    expect(send(valve, { capabilityId: 'thermostat', type: 'setMode', mode: 'auto' })).toEqual([['exitDerogation']]);
    const battery = first(valve, 'battery');
    expect(battery).toMatchObject({ level: 83, low: false });
  });

  it('valves and Somfy thermostats: one switch per declared mode when asked (a derogation), off = the schedule', () => {
    const valve = byWidget('setup_3_gateways.json', 'ValveHeatingTemperatureInterface');
    const levels = (d: OverkizDevice) =>
      caps(d, { heatingLevelSwitches: true })
        .filter((c) => c.id.startsWith('level:'))
        .map((c) => [c.id, c.kind === 'switch' && c.on]);
    expect(caps(valve).filter((c) => c.id.startsWith('level:'))).toEqual([]);
    expect(levels(valve)).toEqual([
      ['level:comfort', true],
      ['level:eco', false],
      ['level:frostprotection', false],
      ['level:away', false],
    ]);
    expect(send(valve, { capabilityId: 'level:away', type: 'setOn', on: true })).toEqual([['setDerogation', 'awayMode', 'further_notice']]);
    expect(send(valve, { capabilityId: 'level:comfort', type: 'setOn', on: false })).toEqual([['exitDerogation']]);
    const somfy = byWidget('setup_3_gateways.json', 'SomfyThermostat');
    expect(levels(somfy)).toEqual([
      ['level:comfort', true],
      ['level:sleep', false],
      ['level:frostprotection', false],
      ['level:away', false],
    ]);
    expect(send(somfy, { capabilityId: 'level:sleep', type: 'setOn', on: true })).toEqual([
      ['setDerogation', 'sleepingMode', 'further_notice'],
    ]);
    expect(send(somfy, { capabilityId: 'level:comfort', type: 'setOn', on: false })).toEqual([['exitDerogation']]);
  });

  it('Somfy thermostat: the active derogation is the target; writes are derogations', () => {
    const t = byWidget('setup_3_gateways.json', 'SomfyThermostat');
    expect(first(t, 'thermostat')).toMatchObject({ targetTemperature: 20, mode: 'heat' });
    expect(send(t, { capabilityId: 'thermostat', type: 'setTargetTemperature', temperature: 21 })).toEqual([
      ['setDerogation', 21, 'further_notice'],
    ]);
    expect(send(t, { capabilityId: 'thermostat', type: 'setMode', mode: 'auto' })).toEqual([['exitDerogation']]);
    expect(send(t, { capabilityId: 'thermostat', type: 'setMode', mode: 'off' })).toEqual([
      ['setDerogation', 'freezeMode', 'further_notice'],
    ]);
  });

  it('setpoint heaters: standby = off, basic = heat, internal = auto; the target is setTargetTemperature', () => {
    const heater = byWidget('setup_cozytouch_4.json', 'AtlanticElectricalHeaterWithAdjustableTemperatureSetpoint');
    expect(first(heater, 'thermostat')).toMatchObject({
      mode: 'off',
      targetTemperature: 18.5,
      maxTarget: 28,
      modes: ['off', 'heat', 'auto'],
    });
    expect(send(heater, { capabilityId: 'thermostat', type: 'setMode', mode: 'heat' })).toEqual([['setOperatingMode', 'basic']]);
    expect(send(heater, { capabilityId: 'thermostat', type: 'setMode', mode: 'auto' })).toEqual([['setOperatingMode', 'internal']]);
    expect(send(heater, { capabilityId: 'thermostat', type: 'setTargetTemperature', temperature: 20 })).toEqual([
      ['setTargetTemperature', 20],
    ]);
  });

  it('pilot-wire heaters: no invented setpoint; a switch, and one switch per declared level when asked', () => {
    const heater = byWidget('setup_cozytouch_4.json', 'AtlanticElectricalHeater');
    expect(caps(heater).map((c) => c.kind)).toEqual(['switch']);
    expect(first(heater, 'switch')).toMatchObject({ on: true });
    const levels = caps(heater, { heatingLevelSwitches: true }).filter((c) => c.id.startsWith('level:'));
    expect(levels.map((c) => [c.id, c.kind === 'switch' && c.on])).toEqual([
      ['level:comfort', false],
      ['level:comfort-1', false],
      ['level:comfort-2', false],
      ['level:eco', true],
      ['level:frostprotection', false],
      ['level:boost', false],
    ]);
    expect(send(heater, { capabilityId: 'level:frostprotection', type: 'setOn', on: true })).toEqual([
      ['setHeatingLevel', 'frostprotection'],
    ]);
    expect(send(heater, { capabilityId: 'heating', type: 'setOn', on: false })).toEqual([['off']]);
    expect(send(heater, { capabilityId: 'heating', type: 'setOn', on: true })).toEqual([['setHeatingLevel', 'comfort']]);
  });

  it('PassAPC heat pump zones: a HeaterCooler with both targets and ranges; heating-only zones a thermostat', () => {
    const climate = setup('setup_tahoma_climate.json');
    const zones = climate.devices.filter((d) => d.widget === 'AtlanticPassAPCHeatingAndCoolingZone');
    // #10: heating and cooling both on (as real zones report), targets 24 / 21; the zone controller #1 is heating
    const zone = zones[0];
    const heatingSeason = { zoneControllerMode: 'heating' };
    expect(first(zone, 'heaterCooler', heatingSeason)).toMatchObject({
      active: true,
      state: 'heating',
      mode: 'heat',
      modes: ['heat', 'cool'],
      heatingTarget: 24,
      coolingTarget: 21,
      heatingRange: { min: 16, max: 25 },
      coolingRange: { min: 18, max: 30 },
    });
    expect(first(zone, 'heaterCooler', { zoneControllerMode: 'cooling' })).toMatchObject({ mode: 'cool', state: 'cooling' });
    expect(first(zone, 'heaterCooler', { zoneControllerMode: 'stop' })).toMatchObject({ active: false, state: 'inactive' });
    const controller = climate.devices.find((d) => d.widget === 'AtlanticPassAPCZoneControl');
    if (!controller) throw new Error('no zone controller');
    expect(caps(controller).map((c) => [c.id, c.kind === 'switch' && c.on])).toEqual([
      ['running', true],
      ['cooling', false],
    ]);
    expect(send(controller, { capabilityId: 'cooling', type: 'setOn', on: true })).toEqual([['setPassAPCOperatingMode', 'cooling']]);
    expect(send(zone, { capabilityId: 'heatpump', type: 'setCoolingThreshold', temperature: 24 })).toEqual([
      ['setCoolingTargetTemperature', 24],
      ['setDerogationOnOffState', 'on'],
    ]);
    expect(send(zone, { capabilityId: 'heatpump', type: 'setHeatingThreshold', temperature: 20 })).toEqual([
      ['setHeatingTargetTemperature', 20],
      ['setDerogationOnOffState', 'on'],
    ]);
    expect(send(zone, { capabilityId: 'heatpump', type: 'setOn', on: false })).toEqual([
      ['setHeatingOnOffState', 'off'],
      ['setCoolingOnOffState', 'off'],
    ]);
    expect(send(zone, { capabilityId: 'heatpump', type: 'setMode', mode: 'cool' })).toEqual([
      ['setHeatingOnOffState', 'off'],
      ['setCoolingOnOffState', 'on'],
    ]);
    // Active on + cool in one HomeKit request: one action, each on/off command once, as last asked
    expect(
      overkizActionCommands(zone, [
        { capabilityId: 'heatpump', type: 'setOn', on: true },
        { capabilityId: 'heatpump', type: 'setMode', mode: 'cool' },
      ]).map((c) => [c.name, ...c.parameters]),
    ).toEqual([
      ['setHeatingOnOffState', 'off'],
      ['setCoolingOnOffState', 'on'],
    ]);
    const heatingOnly = withState(zone, 'core:ThermalConfigurationState', 'heating');
    expect(first(heatingOnly, 'thermostat')).toMatchObject({ mode: 'heat', modes: ['off', 'heat'], targetTemperature: 24, minTarget: 16 });
    expect(send(heatingOnly, { capabilityId: 'thermostat', type: 'setTargetTemperature', temperature: 20 })).toEqual([
      ['setHeatingTargetTemperature', 20],
      ['setDerogationOnOffState', 'on'],
    ]);
    // zone #k reads the TemperatureSensor #k+1 of its base URL, never the first sibling sensor
    const sensors = zones.map((z) => pairedSensor(z, climate.devices)?.deviceURL.split('#')[1]);
    const zoneIndexes = zones.map((z) => Number(z.deviceURL.split('#')[1]));
    expect(sensors).toEqual(zoneIndexes.map((k) => String(k + 1)));
  });

  it('a valve reads its own #2 sensor; a sensor that says lowBattery shows a low battery', () => {
    const g = setup('setup_3_gateways.json');
    const valve = g.devices.find((d) => d.widget === 'ValveHeatingTemperatureInterface')!;
    expect(pairedSensor(valve, g.devices)?.deviceURL).toBe(valve.deviceURL.replace('#1', '#2'));
    // an intrusion sensor (it declares core:SensorDefectState) reporting a low battery, then a dead sensor
    const sensor = byWidget('setup_tahoma_intellitag.json', 'IntrusionSensor');
    const reporting = (name: string, value: string): OverkizDevice => ({ ...sensor, states: [...sensor.states, { name, value }] });
    expect(first(sensor, 'battery')).toBeUndefined(); // it reports no battery state at all
    expect(first(reporting('core:SensorDefectState', 'lowBattery'), 'battery')).toMatchObject({ low: true });
    expect(first(reporting('io:MaintenanceRadioPartBatteryState', 'low'), 'battery')).toMatchObject({ low: true });
    expect(first(reporting('core:SensorDefectState', 'dead'), 'sensor')).toMatchObject({ fault: true });
    expect(first(sensor, 'sensor')).not.toMatchObject({ fault: true });
  });

  it('local API devices (uiClass and widget only under definition) map like cloud ones', () => {
    const infrastructure = ['Pod', 'ProtocolGateway'];
    const local = setup('setup_local.json').devices.filter(
      (d) => d.uiClass === undefined && !infrastructure.includes(d.definition.uiClass ?? ''),
    );
    expect(local.length).toBeGreaterThan(0);
    for (const d of local) expect(mapOverkizDevice(d)).toBeDefined();
  });

  it('alarms: TSK modes to away/stay/night, MyFox arm/partial/disarm, zones, and disarm hidden when asked', () => {
    const tsk = byWidget('setup_3_gateways.json', 'TSKAlarmController');
    expect(first(tsk, 'securitySystem')).toMatchObject({ current: 'disarmed', target: 'disarmed' });
    expect(send(tsk, { capabilityId: 'alarm', type: 'setSecurity', target: 'away' })).toEqual([['setTargetAlarmMode', 'total']]);
    expect(send(tsk, { capabilityId: 'alarm', type: 'setSecurity', target: 'night' })).toEqual([['setTargetAlarmMode', 'partial2']]);
    const myfox = byWidget('setup_3_gateways.json', 'MyFoxAlarmController');
    expect(first(myfox, 'securitySystem')).toMatchObject({ current: 'disarmed' });
    expect(send(myfox, { capabilityId: 'alarm', type: 'setSecurity', target: 'stay' })).toEqual([['partial']]);
    expect(send(myfox, { capabilityId: 'alarm', type: 'setSecurity', target: 'away' })).toEqual([['arm']]);
    const zones = byWidget('setup_tahoma_3.json', 'StatefulAlarmController');
    expect(first(zones, 'securitySystem')).toMatchObject({ current: 'disarmed' });
    expect(send(zones, { capabilityId: 'alarm', type: 'setSecurity', target: 'stay' })).toEqual([['alarmZoneOn', 'A']]);
    const stateless = byWidget('setup_tahoma_1.json', 'StatelessAlarmController');
    const assumed = new Map([[stateless.deviceURL, 'away' as const]]);
    expect(first(stateless, 'securitySystem', { assumedAlarms: assumed })).toMatchObject({ current: 'away', target: 'away' });
    expect(send(stateless, { capabilityId: 'alarm', type: 'setSecurity', target: 'disarmed' })).toEqual([['alarmOff']]);
    expect((first(tsk, 'securitySystem', { alarmDisarmFromHome: false }) as { targets: string[] }).targets).toEqual([
      'stay',
      'away',
      'night',
    ]);
    // a site whose "night" is partial 1 and "stay" partial 2
    const swapped = { tskModes: { away: 'total', stay: 'partial2', night: 'partial1' } };
    expect(overkizCommands(tsk, { capabilityId: 'alarm', type: 'setSecurity', target: 'night' }, swapped)).toEqual([
      { name: 'setTargetAlarmMode', parameters: ['partial1'] },
    ]);
    const inPartial1 = {
      ...tsk,
      states: tsk.states.map((x) => (x.name === 'internal:CurrentAlarmModeState' ? { ...x, value: 'partial1' } : x)),
    };
    expect(first(inPartial1, 'securitySystem', swapped)).toMatchObject({ current: 'night' });
    expect(first(inPartial1, 'securitySystem')).toMatchObject({ current: 'stay' });
  });

  it('Hitachi heat pumps: a HeaterCooler; one globalControl with all six settings, autoCooling sent back as auto', () => {
    const pump = byWidget('setup_hi_kumo_8_gateways.json', 'HitachiAirToAirHeatPump');
    expect(first(pump, 'heaterCooler')).toMatchObject({
      active: false,
      state: 'inactive',
      mode: 'auto',
      currentTemperature: 26,
      heatingTarget: 25,
      coolingTarget: 25,
      step: 1,
      fanSpeed: 100,
      fanSteps: 5,
      swing: false,
    });
    expect(send(pump, { capabilityId: 'heatpump', type: 'setMode', mode: 'heat' })).toEqual([
      ['globalControl', 'on', 25, 'auto', 'heating', 'stop', 'off'],
    ]);
    expect(send(pump, { capabilityId: 'heatpump', type: 'setCoolingThreshold', temperature: 21.4 })).toEqual([
      ['globalControl', 'off', 21, 'auto', 'auto', 'stop', 'off'],
    ]);
    expect(send(pump, { capabilityId: 'heatpump', type: 'setFanSpeed', speed: 40 })).toEqual([
      ['globalControl', 'off', 25, 'low', 'auto', 'stop', 'off'],
    ]);
    expect(send(pump, { capabilityId: 'heatpump', type: 'setSwing', on: true })).toEqual([
      ['globalControl', 'off', 25, 'auto', 'auto', 'both', 'off'],
    ]);
    // A scene (on, cool, 22 °C, silent fan) is one globalControl, not four that would undo each other
    const scene = overkizActionCommands(pump, [
      { capabilityId: 'heatpump', type: 'setOn', on: true },
      { capabilityId: 'heatpump', type: 'setMode', mode: 'cool' },
      { capabilityId: 'heatpump', type: 'setCoolingThreshold', temperature: 22 },
      { capabilityId: 'heatpump', type: 'setFanSpeed', speed: 20 },
    ]);
    expect(scene).toEqual([{ name: 'globalControl', parameters: ['on', 22, 'silent', 'cooling', 'stop', 'off'] }]);
    const running = byWidget('setup_hi_kumo_8_gateways.json', 'HitachiAirToAirHeatPump', 5);
    expect(first(running, 'heaterCooler')).toMatchObject({ active: true, state: 'cooling', mode: 'auto' });
    const silentSwinging = byWidget('setup_hi_kumo_8_gateways.json', 'HitachiAirToAirHeatPump', 2);
    expect(first(silentSwinging, 'heaterCooler')).toMatchObject({ mode: 'cool', fanSpeed: 20, swing: true });
  });

  it('hot water: the tank setpoint, and Boost / Away switches where the device offers them', () => {
    const dhw = byWidget('setup_cozytouch_2.json', 'DomesticHotWaterProduction');
    expect(first(dhw, 'thermostat')).toMatchObject({ currentTemperature: 50, targetTemperature: 50, modes: ['heat'] });
    expect(
      caps(dhw)
        .filter((c) => c.kind === 'switch')
        .map((c) => [c.id, c.kind === 'switch' && c.on]),
    ).toEqual([
      ['boost', false],
      ['away', false],
    ]);
    expect(send(dhw, { capabilityId: 'boost', type: 'setOn', on: true })).toEqual([
      ['setCurrentOperatingMode', { relaunch: 'on', absence: 'off' }],
    ]);
    expect(send(dhw, { capabilityId: 'thermostat', type: 'setTargetTemperature', temperature: 55 })).toEqual([
      ['setTargetTemperature', 55],
    ]);
  });

  it('colour lights: hue, saturation and colour temperature (kelvin <-> mireds); a colour is one setHueAndSaturation', () => {
    const hue = byWidget('setup_hue_and_low_speed.json', 'DimmerHueSatOrCTLight');
    expect(first(hue, 'light')).toMatchObject({ brightness: 77, hue: 24, saturation: 75, colorTemperature: 500 });
    const both = overkizActionCommands(hue, [
      { capabilityId: 'light', type: 'setHue', hue: 200 },
      { capabilityId: 'light', type: 'setSaturation', saturation: 40 },
    ]);
    expect(both).toEqual([{ name: 'setHueAndSaturation', parameters: [200, 40] }]);
    expect(send(hue, { capabilityId: 'light', type: 'setColorTemperature', mireds: 250 })).toEqual([['setColorTemperature', 4000]]);
  });

  it('media players play and pause; heat-recovery ventilation is a fan: away / high / boost, auto', () => {
    const sonos = byWidget('setup_tahoma_3.json', 'MediaRenderer');
    expect(first(sonos, 'switch')).toMatchObject({ on: false });
    expect(send(sonos, { capabilityId: 'play', type: 'setOn', on: true })).toEqual([['play']]);
    expect(send(sonos, { capabilityId: 'play', type: 'setOn', on: false })).toEqual([['pause']]);
    const vmc = byWidget('setup_cozytouch_4.json', 'AtlanticHeatRecoveryVentilation');
    // auto, air demand 100 %
    expect(first(vmc, 'fan')).toMatchObject({ on: true, auto: true, speed: 100 });
    expect(send(vmc, { capabilityId: 'ventilation', type: 'setFanSpeed', speed: 100 })).toEqual([['setAirDemandMode', 'boost']]);
    expect(send(vmc, { capabilityId: 'ventilation', type: 'setFanSpeed', speed: 50 })).toEqual([['setAirDemandMode', 'high']]);
    expect(send(vmc, { capabilityId: 'ventilation', type: 'setOn', on: false })).toEqual([['setAirDemandMode', 'away']]);
    expect(send(vmc, { capabilityId: 'ventilation', type: 'setFanAuto', auto: true })).toEqual([['setAirDemandMode', 'auto']]);
    const boosting = withState(vmc, 'io:AirDemandModeState', 'boost');
    expect(first(boosting, 'fan')).toMatchObject({ on: true, auto: false, speed: 100 });
    expect(first(withState(vmc, 'io:AirDemandModeState', 'away'), 'fan')).toMatchObject({ on: false, speed: 33 });
  });

  it('low-speed shutters move with setClosureAndLinearSpeed when asked; sirens only with exposeSirens', () => {
    const shutter = byWidget('setup_3_gateways.json', 'PositionableRollerShutterWithLowSpeedManagement');
    const position: Command = { capabilityId: 'cover', type: 'setPosition', position: 40 };
    expect(overkizCommands(shutter, position)).toEqual([{ name: 'setClosure', parameters: [60] }]);
    const slow = overkizCommands(shutter, position, { lowSpeedShutters: true });
    expect(slow).toEqual([{ name: 'setClosureAndLinearSpeed', parameters: [60, 'lowspeed'] }]);
    expect(shutter.definition.commands.find((c) => c.commandName === 'setClosureAndLinearSpeed')?.nparams).toBe(2);
    const siren = byWidget('setup_tahoma_siren_io.json', 'IOSiren');
    expect(mapOverkizDevice(siren)).toBeUndefined();
    expect(first(siren, 'switch', { exposeSirens: true })).toMatchObject({ id: 'siren', on: false });
    expect(overkizCommands(siren, { capabilityId: 'siren', type: 'setOn', on: true }, { exposeSirens: true })).toEqual([
      { name: 'ring', parameters: [] },
    ]);
  });

  it('priority locks: a protection lock (wind, rain) is never overridden; a user lock goes through highPriority', () => {
    const shutter = byWidget('setup_3_gateways.json', 'PositionableRollerShutterWithLowSpeedManagement');
    const lockedBy = (level: string, origin: string): OverkizDevice => ({
      ...shutter,
      states: [
        ...shutter.states,
        { name: 'io:PriorityLockLevelState', value: level },
        { name: 'io:PriorityLockOriginatorState', value: origin },
      ],
    });
    expect(priorityLock(shutter)).toEqual({ locked: false });
    expect(priorityLock(lockedBy('environmentProtection', 'wind'))).toEqual({
      locked: true,
      overridable: false,
      why: 'locked by wind (priority lock environmentProtection)',
    });
    expect(priorityLock(lockedBy('userLevel1', 'localUser'))).toMatchObject({ locked: true, overridable: true });
  });

  it('the other families on their first real device: states -> HomeKit values, writes -> declared commands', () => {
    const shutter = byWidget('setup_nexity.json', 'PositionableRollerShutter'); // closure 6
    expect(first(shutter, 'cover')).toMatchObject({ currentPosition: 94, targetPosition: 94, canHold: true });
    expect(send(shutter, { capabilityId: 'cover', type: 'setPosition', position: 30 })).toEqual([['setClosure', 70]]);
    expect(send(shutter, { capabilityId: 'cover', type: 'hold' })).toEqual([['stop']]);
    const awning = byWidget('setup_hue_and_low_speed.json', 'PositionableHorizontalAwning'); // deployment 0
    expect(first(awning, 'cover')).toMatchObject({ currentPosition: 0 });
    expect(send(awning, { capabilityId: 'cover', type: 'setPosition', position: 60 })).toEqual([['setDeployment', 60]]);
    const window = byWidget('setup_tahoma_intellitag.json', 'PositionableTiltedWindow'); // closure 100 = closed
    expect(first(window, 'cover')).toMatchObject({ currentPosition: 0 });
    expect(send(window, { capabilityId: 'cover', type: 'setPosition', position: 100 })).toEqual([['setClosure', 0]]);
    const rts = byWidget('setup_hi_kumo.json', 'UpDownRollerShutter'); // no feedback: assumed
    expect(first(rts, 'cover')).toMatchObject({ assumed: true });
    expect(send(rts, { capabilityId: 'cover', type: 'setPosition', position: 100 })).toEqual([['open', 0]]);
    expect(send(rts, { capabilityId: 'cover', type: 'setPosition', position: 0 })).toEqual([['close', 0]]);
    const garage = byWidget('setup_tahoma_3.json', 'PositionableGarageDoor'); // closure 100
    expect(first(garage, 'garageDoor')).toMatchObject({ current: 'closed', target: 'closed' });
    expect(send(garage, { capabilityId: 'door', type: 'setDoor', target: 'open' })).toEqual([['open']]);
    const dimmer = byWidget('setup_hue_and_low_speed.json', 'DimmerLight');
    expect(first(dimmer, 'light')).toMatchObject({ on: false, brightness: 0 });
    expect(send(dimmer, { capabilityId: 'light', type: 'setBrightness', brightness: 40 })).toEqual([['setIntensity', 40]]);
    expect(send(dimmer, { capabilityId: 'light', type: 'setOn', on: true })).toEqual([['on']]);
    const lamp = byWidget('setup_nexity.json', 'StatefulOnOffLight');
    expect(first(lamp, 'light')).toMatchObject({ on: true });
    expect(first(lamp, 'light')).not.toHaveProperty('brightness');
    expect(send(lamp, { capabilityId: 'light', type: 'setOn', on: false })).toEqual([['off']]);
    const plug = byWidget('setup_tahoma_3.json', 'StatefulOnOff');
    expect(first(plug, 'switch')).toMatchObject({ on: false });
    expect(send(plug, { capabilityId: 'switch', type: 'setOn', on: true })).toEqual([['on']]);
    const meter = byWidget('setup_cozytouch_2.json', 'CumulativeElectricPowerConsumptionSensor'); // 1 779 095 Wh
    expect(first(meter, 'energy')).toEqual({ kind: 'energy', id: 'energy', name: meter.label, totalKWh: 1779.1 });
    const zwave = byWidget('setup_nexity.json', 'ProgrammableAndProtectableThermostatSetPoint'); // 19 °C, DeviceDefectState failed
    expect(first(zwave, 'thermostat')).toMatchObject({ targetTemperature: 19, mode: 'heat', fault: true });
    expect(send(zwave, { capabilityId: 'thermostat', type: 'setTargetTemperature', temperature: 20 })).toEqual([
      ['setTargetTemperature', 20],
    ]);
    expect(first(byWidget('setup_hue_and_low_speed.json', 'SmokeSensor'), 'sensor')).toMatchObject({ sensor: 'smoke', value: false });
    expect(first(byWidget('setup_tahoma_3.json', 'MotionSensor'), 'sensor')).toMatchObject({ sensor: 'motion', value: false });
    expect(first(byWidget('setup_cozytouch_4.json', 'OccupancySensor'), 'sensor')).toMatchObject({ sensor: 'occupancy', value: false });
    expect(first(byWidget('setup_3_gateways.json', 'RelativeHumiditySensor'), 'sensor')).toMatchObject({
      sensor: 'humidity',
      value: expect.closeTo(63.4, 3),
    });
  });
});
