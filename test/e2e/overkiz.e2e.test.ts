import { demoOverkiz, OverkizSimulator } from '../../src/simulators/overkiz';
import { Bridge, charId, isType, killAll, read, serviceNames, T, waitFor, type HapAccessory } from './harness';

jest.setTimeout(90_000);

/** Reads a characteristic until it holds `value` (the vendor's state has come back), for at most 5 s. */
async function readUntil(readIt: () => Promise<{ value?: unknown }>, value: unknown): Promise<void> {
  const t0 = Date.now();
  let last: unknown;
  while (Date.now() - t0 < 5000) {
    last = (await readIt()).value;
    if (last === value) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`read ${String(last)}, expected ${String(value)}`);
}

describe('Overkiz end to end: real Homebridge + HAP controller', () => {
  let sim: OverkizSimulator;
  let bridge: Bridge;

  beforeAll(async () => {
    sim = new OverkizSimulator(demoOverkiz('me@example.org', 'e2e-overkiz-pass'));
    await sim.start();
    bridge = await Bridge.create({
      platforms: [
        {
          platform: 'BuildingHub',
          name: 'Building Hub',
          overkiz: [
            {
              label: 'House',
              server: 'custom',
              baseUrl: sim.url,
              username: 'me@example.org',
              password: 'e2e-overkiz-pass',
              heatingLevelSwitches: true,
            },
          ],
        },
      ],
    });
    await bridge.start();
    await bridge.waitForLog(/Laundry leak: added/);
  });

  afterAll(async () => {
    await bridge?.dispose();
    await sim?.stop();
    killAll();
  });

  it('a shutter, a light and a thermostat: writes reach the gateway as commands, states come back as HAP events', async () => {
    const client = await bridge.client();
    const { accessories } = (await client.getAccessories()) as { accessories: HapAccessory[] };
    expect(serviceNames(accessories, T.windowCovering)).toHaveLength(14);
    const target = charId(accessories, T.windowCovering, 'Office shutter', T.targetPosition);
    const current = charId(accessories, T.windowCovering, 'Office shutter', T.currentPosition);
    const brightness = charId(accessories, T.lightbulb, 'Living room lamp', T.brightness);
    const heat = charId(accessories, T.thermostat, 'Office heater', T.targetTemperature);

    const events: Array<{ aid: number; iid: number; value: unknown }> = [];
    const watcher = await bridge.client();
    watcher.on('event', (e: { characteristics: Array<{ aid: number; iid: number; value: unknown }> }) => events.push(...e.characteristics));
    await watcher.subscribeCharacteristics([current, brightness, heat]);
    const seen = (id: string, value: unknown) => {
      const [aid, iid] = id.split('.').map(Number);
      return events.some((e) => e.aid === aid && e.iid === iid && e.value === value);
    };

    await client.setCharacteristics({ [target]: 25 });
    await waitFor(() => sim.executions.length > 0, 5000);
    const office = sim.opts.devices.find((d) => d.label === 'Office shutter')!.deviceURL;
    expect(sim.executions.at(-1)!.actions).toEqual([{ deviceURL: office, commands: [{ name: 'setClosure', parameters: [75] }] }]);
    await waitFor(() => seen(current, 25), 8000);

    await client.setCharacteristics({ [brightness]: 55 });
    await client.setCharacteristics({ [heat]: 21.5 });
    await waitFor(() => sim.executions.length > 1, 5000);
    expect(sim.executions.flatMap((x) => x.actions.flatMap((a) => a.commands.map((c) => `${c.name}:${c.parameters.join(',')}`)))).toEqual(
      expect.arrayContaining(['setIntensity:55', 'setTargetTemperature:21.5']),
    );
    // A change made at the gateway (a wall switch) reaches the controller too.
    const lamp = sim.opts.devices.find((d) => d.label === 'Living room lamp')!.deviceURL;
    sim.setState(lamp, 'core:LightIntensityState', 12);
    await waitFor(() => seen(brightness, 12), 8000);
    const heater = sim.opts.devices.find((d) => d.label === 'Office heater')!.deviceURL;
    sim.setState(heater, 'core:TargetTemperatureState', 17);
    await waitFor(() => seen(heat, 17), 8000);
    await watcher.unsubscribeCharacteristics();
    expect(bridge.output).not.toContain('e2e-overkiz-pass');
  });

  it('heaters, hot water, an alarm and a colour light: read through HAP, written with the commands they declare', async () => {
    const client = await bridge.client();
    const { accessories } = (await client.getAccessories()) as { accessories: HapAccessory[] };
    const url = (label: string) => sim.opts.devices.find((d) => d.label === label)!.deviceURL;
    const sent = (label: string) =>
      sim.executions.flatMap((x) => x.actions.filter((a) => a.deviceURL === url(label))).flatMap((a) => a.commands.map((c) => c.name));
    const before = sim.executions.length;

    // pilot-wire heater: no setpoint, one switch per level (heatingLevelSwitches)
    const eco = charId(accessories, T.switch, 'Hall radiator Eco', T.on);
    const frost = charId(accessories, T.switch, 'Hall radiator Frost protection', T.on);
    expect((await read(client, eco)).value).toBe(1);
    expect(serviceNames(accessories, T.thermostat)).not.toContain('Hall radiator');
    await client.setCharacteristics({ [frost]: true });
    await waitFor(() => sent('Hall radiator').includes('setHeatingLevel'), 5000);

    // thermostatic valve: a target is a derogation; its range is the valve's own
    const valve = charId(accessories, T.thermostat, 'Playroom valve', T.targetTemperature);
    await client.setCharacteristics({ [valve]: 5.5 });
    await waitFor(() => sent('Playroom valve').includes('setDerogation'), 5000);
    // setpoint heater: off is its standby operating mode
    const mode = charId(accessories, T.thermostat, 'Bedroom heater', T.targetHeatingState);
    await client.setCharacteristics({ [mode]: 0 });
    await waitFor(() => sent('Bedroom heater').includes('setOperatingMode'), 5000);
    // hot water: the tank setpoint; its electricity meter (a sub-device) on the same accessory, in Eve's kWh
    const tank = charId(accessories, T.thermostat, 'Water heater', T.targetTemperature);
    const tankAid = tank.split('.')[0];
    const energy = accessories
      .find((a) => String(a.aid) === tankAid)!
      .services.flatMap((svc) => svc.characteristics)
      .find((c) => isType(c.type, T.eveTotalConsumption));
    expect(energy?.value).toBe(1779.1);
    expect(serviceNames(accessories, T.thermostat)).not.toContain('Water heater energy');
    expect((await read(client, charId(accessories, T.thermostat, 'Water heater', T.currentTemperature))).value).toBe(52);
    await client.setCharacteristics({ [tank]: 60 });
    await waitFor(() => sent('Water heater').includes('setTargetTemperature'), 5000);
    // alarm: night arm = TSK partial 2
    const alarm = charId(accessories, T.securitySystem, 'House alarm', T.securityTarget);
    expect((await read(client, charId(accessories, T.securitySystem, 'House alarm', T.securityCurrent))).value).toBe(3);
    await client.setCharacteristics({ [alarm]: 2 });
    await waitFor(() => sent('House alarm').includes('setTargetAlarmMode'), 5000);
    // colour light: hue and saturation in one request are one setHueAndSaturation
    const hue = charId(accessories, T.lightbulb, 'Lounge colour lamp', T.hue);
    const sat = charId(accessories, T.lightbulb, 'Lounge colour lamp', T.saturation);
    await client.setCharacteristics({ [hue]: 200, [sat]: 40 });
    await waitFor(() => sent('Lounge colour lamp').includes('setHueAndSaturation'), 5000);

    const commands = sim.executions
      .slice(before)
      .flatMap((x) => x.actions)
      .flatMap((a) => a.commands.map((c) => `${c.name}:${c.parameters.map((p) => JSON.stringify(p)).join(',')}`));
    expect(commands).toEqual(
      expect.arrayContaining([
        'setHeatingLevel:"frostprotection"',
        'setDerogation:5.5,"further_notice"',
        'setOperatingMode:"standby"',
        'setTargetTemperature:60',
        'setTargetAlarmMode:"partial2"',
        'setHueAndSaturation:200,40',
      ]),
    );
    expect(commands.filter((c) => c.startsWith('setHueAndSaturation'))).toHaveLength(1);
    await waitFor(() => sim.opts.devices.find((d) => d.label === 'House alarm')!.states.some((x) => x.value === 'partial2'), 5000);
    // every value within its characteristic's range (a 55 °C tank against HAP's default 38 °C maximum was clamped)
    expect(bridge.output).not.toMatch(/illegal value/);
  });

  it('a heat pump (HeaterCooler) and a ventilation unit (Fanv2): a scene is one globalControl; the fan picks its mode', async () => {
    const client = await bridge.client();
    const { accessories } = (await client.getAccessories()) as { accessories: HapAccessory[] };
    const url = (label: string) => sim.opts.devices.find((d) => d.label === label)!.deviceURL;
    const actions = (label: string) => sim.executions.flatMap((x) => x.actions.filter((a) => a.deviceURL === url(label)));
    const pump = (char: string) => charId(accessories, T.heaterCooler, 'Bedroom air conditioner', char);
    expect((await read(client, pump(T.currentTemperature))).value).toBe(21);
    expect((await read(client, pump(T.active))).value).toBe(0);
    expect((await read(client, pump(T.targetHeaterCoolerState))).value).toBe(1);
    expect((await read(client, pump(T.heatingThreshold))).value).toBe(22);
    // what a HomeKit scene sends: several characteristics in one request
    await client.setCharacteristics({
      [pump(T.active)]: 1,
      [pump(T.targetHeaterCoolerState)]: 2,
      [pump(T.coolingThreshold)]: 24,
      [pump(T.rotationSpeed)]: 20,
    });
    await waitFor(() => actions('Bedroom air conditioner').length > 0, 5000);
    expect(actions('Bedroom air conditioner')).toEqual([
      {
        deviceURL: url('Bedroom air conditioner'),
        commands: [{ name: 'globalControl', parameters: ['on', 24, 'silent', 'cooling', 'stop', 'off'] }],
      },
    ]);
    await readUntil(() => read(client, pump(T.currentHeaterCoolerState)), 3);

    const fan = (char: string) => charId(accessories, T.fanV2, 'Ventilation', char);
    expect((await read(client, fan(T.targetFanState))).value).toBe(1);
    expect((await read(client, fan(T.rotationSpeed))).value).toBe(40);
    await client.setCharacteristics({ [fan(T.rotationSpeed)]: 100 });
    await waitFor(() => actions('Ventilation').length > 0, 5000);
    expect(actions('Ventilation')[0].commands).toEqual([{ name: 'setAirDemandMode', parameters: ['boost'] }]);
    await readUntil(() => read(client, fan(T.targetFanState)), 0);
  });

  it('a HomeKit write that meets an ended session: exactly one new login, the write reaches /exec/apply, Home gets success', async () => {
    const client = await bridge.client();
    const { accessories } = (await client.getAccessories()) as { accessories: HapAccessory[] };
    const target = charId(accessories, T.windowCovering, 'Library shutter', T.targetPosition);
    const logins = () => sim.server.requests.filter((r) => r.path.endsWith('/login')).length;
    const before = logins();
    const execs = sim.executions.length;
    sim.expireSessions();
    const answer = (await client.setCharacteristics({ [target]: 40 })) as { characteristics?: Array<{ status?: number }> };
    expect((answer.characteristics ?? []).filter((c) => c.status)).toEqual([]);
    await waitFor(() => sim.executions.length > execs, 8000);
    const library = sim.opts.devices.find((d) => d.label === 'Library shutter')!.deviceURL;
    expect(sim.executions.slice(execs).flatMap((x) => x.actions)).toEqual([
      { deviceURL: library, commands: [{ name: 'setClosure', parameters: [60] }] },
    ]);
    expect(logins()).toBe(before + 1);
  });

  it('a cover moved while the server had dropped the listener reaches HomeKit after the re-register', async () => {
    const client = await bridge.client();
    const { accessories } = (await client.getAccessories()) as { accessories: HapAccessory[] };
    const current = charId(accessories, T.windowCovering, 'Library shutter', T.currentPosition);
    const url = sim.opts.devices.find((d) => d.label === 'Library shutter')!.deviceURL;
    const registers = () => sim.server.requests.filter((r) => r.path.endsWith('/events/register')).length;
    const before = registers();
    sim.dropListeners();
    sim.setState(url, 'core:ClosureState', 13); // no listener exists: no event carries it
    await waitFor(() => registers() > before, 15_000);
    // the states are read once after the new listener: the position reaches HomeKit without any event
    let value: unknown;
    for (let i = 0; i < 50 && value !== 87; i++) {
      value = (await read(client, current)).value;
      if (value !== 87) await new Promise((r) => setTimeout(r, 200));
    }
    expect(value).toBe(87);
    await client.close();
  });

  it('a restart with the cloud down keeps every accessory (from the setup cache) as No Response', async () => {
    const client = await bridge.client();
    const { accessories: before } = (await client.getAccessories()) as { accessories: HapAccessory[] };
    await client.close();
    expect(await bridge.stop()).toBeLessThan(2000);
    await sim.stop();
    await bridge.start();
    const again = await bridge.client();
    const { accessories: after } = (await again.getAccessories()) as { accessories: HapAccessory[] };
    expect(after.length).toBe(before.length);
    // Firmware: the device's own where Overkiz reports it, HAP's "unknown" elsewhere, the same after the restart.
    const firmware = (list: HapAccessory[]) =>
      Object.fromEntries(
        list.map((a) => {
          const info = a.services.find((s) => isType(s.type, '3E'));
          const name = info?.characteristics.find((c) => isType(c.type, '23'))?.value;
          return [String(name), info?.characteristics.find((c) => isType(c.type, '52'))?.value];
        }),
      );
    expect(firmware(after)).toEqual(firmware(before));
    expect(firmware(before)['Office shutter']).toBe('5.10.3');
    expect(firmware(before)['Laundry leak']).toBe('0.0.0');
    await waitFor(() => /reading Overkiz events failed/.test(bridge.output), 20_000);
    expect((await read(again, charId(after, T.windowCovering, 'Office shutter', T.currentPosition))).status).toBe(-70402);
    await again.close();
  });
});
