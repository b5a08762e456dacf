import * as hap from 'hap-nodejs';
import type { HAP } from 'homebridge';
import type { Command, Device } from '../../../src/core/model';
import { AccessoryBinder, type HubAccessory } from '../../../src/homekit/accessoryBinder';
import { cleanName } from '../../../src/homekit/names';
import { CapturedLog } from '../../helpers/logs';
import { FakePlatformAccessory } from '../../helpers/fakeHomebridge';

const H = hap as unknown as HAP;
const { Service: S, Characteristic: C } = hap;

function everything(): Device {
  return {
    id: 'dev1',
    name: 'Kitchen ✨',
    manufacturer: 'Acme',
    model: 'Multi',
    serial: 'SN1',
    firmware: 'v2.1.0-beta',
    available: true,
    capabilities: [
      { kind: 'switch', id: 'sw', name: 'Fan', on: true },
      { kind: 'outlet', id: 'plug', name: 'Plug', on: false },
      { kind: 'light', id: 'light', name: 'Ceiling', on: true, brightness: 55.4 },
      {
        kind: 'cover',
        id: 'cover',
        name: 'Shutter',
        currentPosition: 30,
        targetPosition: 30,
        positionState: 'stopped',
        canHold: true,
        tilt: 45,
      },
      { kind: 'garageDoor', id: 'door', name: 'Garage', current: 'closed', target: 'closed' },
      {
        kind: 'thermostat',
        id: 'th',
        name: 'Heater',
        currentTemperature: 19.3,
        targetTemperature: 20,
        mode: 'heat',
        active: 'heat',
        minTarget: 7,
        maxTarget: 28,
        step: 0.5,
        modes: ['off', 'heat'],
        fault: false,
      },
      { kind: 'sensor', id: 't', name: 'Temp', sensor: 'temperature', value: 21.5 },
      { kind: 'sensor', id: 'h', name: 'Hum', sensor: 'humidity', value: 140 },
      { kind: 'sensor', id: 'co2', name: 'CO2', sensor: 'co2', value: 1200 },
      { kind: 'sensor', id: 'aq', name: 'Air', sensor: 'airQuality', value: 2 },
      { kind: 'sensor', id: 'lux', name: 'Light', sensor: 'light', value: 0 },
      { kind: 'sensor', id: 'c', name: 'Door', sensor: 'contact', value: true },
      { kind: 'sensor', id: 'leak', name: 'Leak', sensor: 'leak', value: false },
      { kind: 'sensor', id: 'm', name: 'Motion', sensor: 'motion', value: true },
      { kind: 'sensor', id: 'o', name: 'Presence', sensor: 'occupancy', value: true },
      { kind: 'sensor', id: 'smoke', name: 'Smoke', sensor: 'smoke', value: false },
      { kind: 'battery', id: 'bat', name: 'Battery', level: 12, low: true },
      { kind: 'lock', id: 'lock', name: 'Lock', current: 'secured', target: 'secured' },
    ],
  };
}

function bind(device: Device, execute: (c: Command) => Promise<void> = async () => undefined) {
  const accessory = new FakePlatformAccessory(cleanName(device.name), hap.uuid.generate(device.id)) as unknown as HubAccessory;
  accessory.context = { integrationKey: 'test:1', device };
  const log = new CapturedLog();
  const binder = new AccessoryBinder(accessory, device, H, log, execute);
  return { accessory: accessory as unknown as FakePlatformAccessory, binder, log };
}

const get = (a: FakePlatformAccessory, s: hap.WithUUID<typeof hap.Service>, sub: string, c: hap.WithUUID<new () => hap.Characteristic>) =>
  a.getServiceById(s, sub)!.getCharacteristic(c).handleGetRequest();

afterEach(() => {
  expect(FakePlatformAccessory.warnings).toEqual([]);
  FakePlatformAccessory.warnings = [];
});

describe('AccessoryBinder and the capability mappers', () => {
  it('creates one service per capability with HomeKit values', async () => {
    const { accessory: a } = bind(everything());
    expect(await get(a, S.Switch, 'sw', C.On)).toBe(true);
    expect(await get(a, S.Outlet, 'plug', C.On)).toBe(false);
    expect(await get(a, S.Lightbulb, 'light', C.Brightness)).toBe(55);
    expect(await get(a, S.WindowCovering, 'cover', C.CurrentPosition)).toBe(30);
    expect(await get(a, S.WindowCovering, 'cover', C.PositionState)).toBe(C.PositionState.STOPPED);
    expect(await get(a, S.WindowCovering, 'cover', C.TargetHorizontalTiltAngle)).toBe(45);
    expect(await get(a, S.GarageDoorOpener, 'door', C.CurrentDoorState)).toBe(C.CurrentDoorState.CLOSED);
    expect(await get(a, S.Thermostat, 'th', C.CurrentTemperature)).toBeCloseTo(19.3);
    expect(await get(a, S.Thermostat, 'th', C.TargetTemperature)).toBe(20);
    expect(await get(a, S.Thermostat, 'th', C.CurrentHeatingCoolingState)).toBe(C.CurrentHeatingCoolingState.HEAT);
    expect(a.getServiceById(S.Thermostat, 'th')!.getCharacteristic(C.TargetHeatingCoolingState).props.validValues).toEqual([0, 1]);
    expect(await get(a, S.TemperatureSensor, 't', C.CurrentTemperature)).toBe(21.5);
    expect(await get(a, S.HumiditySensor, 'h', C.CurrentRelativeHumidity)).toBe(100); // clamped
    expect(await get(a, S.CarbonDioxideSensor, 'co2', C.CarbonDioxideDetected)).toBe(C.CarbonDioxideDetected.CO2_LEVELS_ABNORMAL);
    expect(await get(a, S.CarbonDioxideSensor, 'co2', C.CarbonDioxideLevel)).toBe(1200);
    expect(await get(a, S.AirQualitySensor, 'aq', C.AirQuality)).toBe(2);
    expect(await get(a, S.LightSensor, 'lux', C.CurrentAmbientLightLevel)).toBe(0.0001);
    expect(await get(a, S.ContactSensor, 'c', C.ContactSensorState)).toBe(C.ContactSensorState.CONTACT_NOT_DETECTED);
    expect(await get(a, S.LeakSensor, 'leak', C.LeakDetected)).toBe(C.LeakDetected.LEAK_NOT_DETECTED);
    expect(await get(a, S.MotionSensor, 'm', C.MotionDetected)).toBe(true);
    expect(await get(a, S.OccupancySensor, 'o', C.OccupancyDetected)).toBe(C.OccupancyDetected.OCCUPANCY_DETECTED);
    expect(await get(a, S.SmokeSensor, 'smoke', C.SmokeDetected)).toBe(C.SmokeDetected.SMOKE_NOT_DETECTED);
    expect(await get(a, S.Battery, 'bat', C.StatusLowBattery)).toBe(C.StatusLowBattery.BATTERY_LEVEL_LOW);
    expect(await get(a, S.LockMechanism, 'lock', C.LockCurrentState)).toBe(C.LockCurrentState.SECURED);
    expect(await get(a, S.TemperatureSensor, 't', C.StatusActive)).toBe(true);
  });

  it('fills AccessoryInformation and names services for Siri', () => {
    const { accessory: a } = bind(everything());
    const info = a.getService(S.AccessoryInformation)!;
    expect(info.getCharacteristic(C.Manufacturer).value).toBe('Acme');
    expect(info.getCharacteristic(C.SerialNumber).value).toBe('SN1');
    expect(info.getCharacteristic(C.FirmwareRevision).value).toBe('2.1.0');
    expect(info.getCharacteristic(C.Name).value).toBe('Kitchen');
    const sw = a.getServiceById(S.Switch, 'sw')!;
    expect(sw.getCharacteristic(C.Name).value).toBe('Fan');
    expect(sw.getCharacteristic(C.ConfiguredName).value).toBe('Fan');
  });

  it('turns writes into commands addressed to the capability', async () => {
    const commands: Command[] = [];
    const { accessory: a } = bind(everything(), async (c) => void commands.push(c));
    await a.getServiceById(S.WindowCovering, 'cover')!.getCharacteristic(C.TargetPosition).handleSetRequest(80);
    await a.getServiceById(S.WindowCovering, 'cover')!.getCharacteristic(C.HoldPosition).handleSetRequest(true);
    await a.getServiceById(S.Lightbulb, 'light')!.getCharacteristic(C.Brightness).handleSetRequest(20);
    await a.getServiceById(S.Thermostat, 'th')!.getCharacteristic(C.TargetTemperature).handleSetRequest(21.5);
    await a.getServiceById(S.Thermostat, 'th')!.getCharacteristic(C.TargetHeatingCoolingState).handleSetRequest(0);
    await a.getServiceById(S.GarageDoorOpener, 'door')!.getCharacteristic(C.TargetDoorState).handleSetRequest(C.TargetDoorState.OPEN);
    await a.getServiceById(S.LockMechanism, 'lock')!.getCharacteristic(C.LockTargetState).handleSetRequest(C.LockTargetState.UNSECURED);
    await a.getServiceById(S.Outlet, 'plug')!.getCharacteristic(C.On).handleSetRequest(true);
    expect(commands).toEqual([
      { capabilityId: 'cover', type: 'setPosition', position: 80 },
      { capabilityId: 'cover', type: 'hold' },
      { capabilityId: 'light', type: 'setBrightness', brightness: 20 },
      { capabilityId: 'th', type: 'setTargetTemperature', temperature: 21.5 },
      { capabilityId: 'th', type: 'setMode', mode: 'off' },
      { capabilityId: 'door', type: 'setDoor', target: 'open' },
      { capabilityId: 'lock', type: 'setLock', target: 'unsecured' },
      { capabilityId: 'plug', type: 'setOn', on: true },
    ]);
  });

  it('answers No Response while unavailable and throws HapStatusError when a command fails', async () => {
    const {
      accessory: a,
      binder,
      log,
    } = bind(everything(), async () => {
      throw new Error('vendor said no');
    });
    const on = a.getServiceById(S.Switch, 'sw')!.getCharacteristic(C.On);
    await expect(on.handleSetRequest(false)).rejects.toBe(hap.HAPStatus.SERVICE_COMMUNICATION_FAILURE);
    expect(log.matching(/^Kitchen ✨: setOn failed: vendor said no$/, 'warn')).toHaveLength(1);
    binder.update({ ...everything(), available: false });
    await expect(on.handleGetRequest()).rejects.toBe(hap.HAPStatus.SERVICE_COMMUNICATION_FAILURE);
    await expect(on.handleSetRequest(true)).rejects.toBe(hap.HAPStatus.SERVICE_COMMUNICATION_FAILURE);
  });

  it("a value the device never gave is a failed read, not HAP's default 0; once read, it is answered", async () => {
    const device = everything();
    const th = device.capabilities.find((c) => c.kind === 'thermostat')!;
    Object.assign(th, { currentTemperature: undefined, fault: true });
    const { accessory: a, binder } = bind(device);
    await expect(get(a, S.Thermostat, 'th', C.CurrentTemperature)).rejects.toBe(hap.HAPStatus.SERVICE_COMMUNICATION_FAILURE);
    expect(a.getServiceById(S.Thermostat, 'th')!.getCharacteristic(C.StatusFault).value).toBe(C.StatusFault.GENERAL_FAULT);
    const next = everything();
    binder.update(next);
    expect(await get(a, S.Thermostat, 'th', C.CurrentTemperature)).toBeCloseTo(19.3);
  });

  it('a button fires one ProgrammableSwitchEvent per new press, none at creation, and reads as null', async () => {
    const device: Device = { ...everything(), capabilities: [{ kind: 'button', id: 'btn', name: 'Doorbell', presses: 3 }] };
    const { accessory: a, binder } = bind(device);
    const char = a.getServiceById(S.StatelessProgrammableSwitch, 'btn')!.getCharacteristic(C.ProgrammableSwitchEvent);
    const events: unknown[] = [];
    char.on('change', (e) => events.push(e.newValue));
    expect(await char.handleGetRequest()).toBeNull();
    binder.update(structuredClone(device));
    expect(events).toEqual([]);
    binder.update({ ...device, capabilities: [{ kind: 'button', id: 'btn', name: 'Doorbell', presses: 4 }] });
    expect(events).toEqual([C.ProgrammableSwitchEvent.SINGLE_PRESS]);
  });

  it('maps a security system (disarm left out when asked) and a colour light', async () => {
    const device: Device = {
      ...everything(),
      capabilities: [
        { kind: 'securitySystem', id: 'alarm', name: 'Alarm', current: 'triggered', target: 'away', targets: ['stay', 'away', 'night'] },
        { kind: 'light', id: 'bulb', name: 'Bulb', on: true, brightness: 50, hue: 200, saturation: 40, colorTemperature: 300 },
      ],
    };
    const commands: Command[] = [];
    const { accessory: a } = bind(device, async (c) => void commands.push(c));
    expect(await get(a, S.SecuritySystem, 'alarm', C.SecuritySystemCurrentState)).toBe(C.SecuritySystemCurrentState.ALARM_TRIGGERED);
    const target = a.getServiceById(S.SecuritySystem, 'alarm')!.getCharacteristic(C.SecuritySystemTargetState);
    expect(target.props.validValues).toEqual([
      C.SecuritySystemTargetState.STAY_ARM,
      C.SecuritySystemTargetState.AWAY_ARM,
      C.SecuritySystemTargetState.NIGHT_ARM,
    ]);
    await target.handleSetRequest(C.SecuritySystemTargetState.NIGHT_ARM);
    expect(await get(a, S.Lightbulb, 'bulb', C.Hue)).toBe(200);
    expect(await get(a, S.Lightbulb, 'bulb', C.ColorTemperature)).toBe(300);
    await a.getServiceById(S.Lightbulb, 'bulb')!.getCharacteristic(C.Saturation).handleSetRequest(80);
    expect(commands).toEqual([
      { capabilityId: 'alarm', type: 'setSecurity', target: 'night' },
      { capabilityId: 'bulb', type: 'setSaturation', saturation: 80 },
    ]);
  });

  it('maps a heat pump (HeaterCooler with both thresholds, fan speed, swing) and a ventilation unit (Fanv2)', async () => {
    const device: Device = {
      ...everything(),
      capabilities: [
        {
          kind: 'heaterCooler',
          id: 'hp',
          name: 'Heat pump',
          active: true,
          currentTemperature: 26,
          state: 'cooling',
          mode: 'auto',
          modes: ['auto', 'heat', 'cool'],
          heatingTarget: 20,
          coolingTarget: 24,
          heatingRange: { min: 16, max: 25 },
          coolingRange: { min: 18, max: 30 },
          step: 0.5,
          fanSpeed: 60,
          fanSteps: 5,
          swing: true,
        },
        { kind: 'fan', id: 'vmc', name: 'Ventilation', on: true, speed: 67, speedSteps: 3, auto: false },
      ],
    };
    const commands: Command[] = [];
    const { accessory: a } = bind(device, async (c) => void commands.push(c));
    const hp = a.getServiceById(S.HeaterCooler, 'hp')!;
    expect(await get(a, S.HeaterCooler, 'hp', C.CurrentHeaterCoolerState)).toBe(C.CurrentHeaterCoolerState.COOLING);
    expect(await get(a, S.HeaterCooler, 'hp', C.TargetHeaterCoolerState)).toBe(C.TargetHeaterCoolerState.AUTO);
    expect(await get(a, S.HeaterCooler, 'hp', C.CoolingThresholdTemperature)).toBe(24);
    expect(hp.getCharacteristic(C.HeatingThresholdTemperature).props).toMatchObject({ minValue: 16, maxValue: 25, minStep: 0.5 });
    expect(hp.getCharacteristic(C.RotationSpeed).props.minStep).toBe(20);
    expect(await get(a, S.HeaterCooler, 'hp', C.SwingMode)).toBe(C.SwingMode.SWING_ENABLED);
    await hp.getCharacteristic(C.TargetHeaterCoolerState).handleSetRequest(C.TargetHeaterCoolerState.COOL);
    await hp.getCharacteristic(C.CoolingThresholdTemperature).handleSetRequest(22);
    await hp.getCharacteristic(C.Active).handleSetRequest(C.Active.INACTIVE);
    const fan = a.getServiceById(S.Fanv2, 'vmc')!;
    expect(await get(a, S.Fanv2, 'vmc', C.TargetFanState)).toBe(C.TargetFanState.MANUAL);
    await fan.getCharacteristic(C.TargetFanState).handleSetRequest(C.TargetFanState.AUTO);
    await fan.getCharacteristic(C.RotationSpeed).handleSetRequest(100);
    expect(commands).toEqual([
      { capabilityId: 'hp', type: 'setMode', mode: 'cool' },
      { capabilityId: 'hp', type: 'setCoolingThreshold', temperature: 22 },
      { capabilityId: 'hp', type: 'setOn', on: false },
      { capabilityId: 'vmc', type: 'setFanAuto', auto: true },
      { capabilityId: 'vmc', type: 'setFanSpeed', speed: 100 },
    ]);
  });

  it('pushes only changed values and raises StatusFault', () => {
    const { accessory: a, binder } = bind(everything());
    const temp = a.getServiceById(S.Thermostat, 'th')!.getCharacteristic(C.CurrentTemperature);
    const changes: unknown[] = [];
    temp.on('change', (e) => changes.push(e.newValue));
    const next = everything();
    binder.update(next);
    expect(changes).toEqual([]);
    const th = next.capabilities.find((c) => c.kind === 'thermostat')!;
    Object.assign(th, { currentTemperature: 18.7, fault: true });
    binder.update(structuredClone(next));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toBeCloseTo(18.7);
    expect(a.getServiceById(S.Thermostat, 'th')!.getCharacteristic(C.StatusFault).value).toBe(C.StatusFault.GENERAL_FAULT);
  });

  it('removes the services of capabilities that disappeared', () => {
    const { accessory: a, binder } = bind(everything());
    const d = everything();
    d.capabilities = d.capabilities.filter((c) => c.id !== 'plug');
    binder.update(d);
    expect(a.getServiceById(S.Outlet, 'plug')).toBeUndefined();
    expect(a.getServiceById(S.Switch, 'sw')).toBeDefined();
  });
});
