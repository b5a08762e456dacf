import { demoOverkiz, OverkizSimulator } from '../../src/simulators/overkiz';
import { Bridge, charId, freePort, killAll, T, waitFor, type HapAccessory } from './harness';
import { endpointNamed, killControllers, MatterController, type MatterEndpoint, waitForAsync } from './matter';

jest.setTimeout(120_000);

const account = (baseUrl: string) => ({
  label: 'House',
  server: 'custom',
  baseUrl,
  username: 'me@example.org',
  password: 'e2e-matter-pass',
});

/**
 * Matter through the real path: Homebridge 2 with Matter on for the bridge, an Overkiz account exposed over HAP and
 * Matter ("both"), and a real Matter controller (matter.js) that commissions the bridge on loopback.
 */
describe('Matter end to end: real Homebridge + Matter controller', () => {
  let sim: OverkizSimulator;
  let bridge: Bridge;
  let controller: MatterController;
  let endpoints: MatterEndpoint[];
  const url = (label: string) => sim.opts.devices.find((d) => d.label === label)!.deviceURL;
  const commandsTo = (label: string, from = 0) =>
    sim.executions
      .slice(from)
      .flatMap((x) => x.actions.filter((a) => a.deviceURL === url(label)))
      .flatMap((a) => a.commands.map((c) => `${c.name}:${c.parameters.join(',')}`));

  beforeAll(async () => {
    sim = new OverkizSimulator(demoOverkiz('me@example.org', 'e2e-matter-pass'));
    await sim.start();
    bridge = await Bridge.create({
      matterPort: await freePort(),
      platforms: [{ platform: 'BuildingHub', name: 'Building Hub', overkiz: [{ ...account(sim.url), expose: 'both' }] }],
    });
    await bridge.start();
    await bridge.waitForLog(/Laundry leak: added/);
    controller = await MatterController.start();
    endpoints = await controller.commission(bridge);
  });

  afterAll(async () => {
    await controller?.dispose();
    await bridge?.dispose();
    await sim?.stop();
    killControllers();
    killAll();
  });

  it('commissions with the bridge passcode and reads every device type as Matter shows it', async () => {
    const office = endpointNamed(endpoints, 'Office shutter');
    expect(office.clusters).toContain('windowCovering');
    // The simulator's Office shutter is at closure 0 (fully open): Matter counts lift as percent closed.
    const cover = await controller.state(office.number, 'windowCovering');
    const closure = sim.device(url('Office shutter'))!.states.find((x) => x.name === 'core:ClosureState')!.value;
    expect(cover.currentPositionLiftPercent100ths).toBe(Number(closure) * 100);
    expect(endpointNamed(endpoints, 'Living room lamp').clusters).toEqual(expect.arrayContaining(['onOff', 'levelControl']));
    expect(endpointNamed(endpoints, 'Office heater').clusters).toContain('thermostat');
    expect(endpointNamed(endpoints, 'Outdoor temperature').clusters).toContain('temperatureMeasurement');
    expect(endpointNamed(endpoints, 'Laundry leak').clusters).toContain('booleanState');
    expect(endpoints.filter((e) => e.label).every((e) => e.reachable === true)).toBe(true);
  });

  it('a cover moved over Matter gets one command at the gateway; a change made at the gateway arrives as a report', async () => {
    const office = endpointNamed(endpoints, 'Office shutter');
    await controller.watch(office.number, 'windowCovering', 'currentPositionLiftPercent100ths');
    const before = sim.executions.length;
    await controller.invoke(office.number, 'windowCovering', 'goToLiftPercentage', { liftPercent100thsValue: 7500 });
    await waitFor(() => commandsTo('Office shutter', before).length > 0, 5000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(commandsTo('Office shutter', before)).toEqual(['setClosure:75']);
    expect(sim.executions.length - before).toBe(1);

    sim.setState(url('Office shutter'), 'core:ClosureState', 40);
    await waitFor(() => controller.changes.some((c) => c.endpoint === office.number && c.value === 4000), 8000);
  });

  it('expose "both": the same device answers on HAP and on Matter, and one write from each reaches the vendor once', async () => {
    const client = await bridge.client();
    const { accessories } = (await client.getAccessories()) as { accessories: HapAccessory[] };
    const target = charId(accessories, T.windowCovering, 'Kitchen shutter', T.targetPosition);
    const kitchen = endpointNamed(endpoints, 'Kitchen shutter');
    const before = sim.executions.length;
    await client.setCharacteristics({ [target]: 30 });
    await waitFor(() => commandsTo('Kitchen shutter', before).length === 1, 5000);
    await controller.invoke(kitchen.number, 'windowCovering', 'goToLiftPercentage', { liftPercent100thsValue: 2000 });
    await waitFor(() => commandsTo('Kitchen shutter', before).length === 2, 5000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(commandsTo('Kitchen shutter', before)).toEqual(['setClosure:70', 'setClosure:20']);
    expect(sim.executions.length - before).toBe(2);
  });

  it('a thermostat setpoint and a light written over Matter; values we push are not sent back as writes', async () => {
    const heater = endpointNamed(endpoints, 'Office heater');
    const lamp = endpointNamed(endpoints, 'Living room lamp');
    const before = sim.executions.length;
    await controller.write(heater.number, 'thermostat', { occupiedHeatingSetpoint: 2150 });
    await waitFor(() => commandsTo('Office heater', before).some((c) => c.startsWith('setTargetTemperature:21.5')), 5000);
    await controller.invoke(lamp.number, 'levelControl', 'moveToLevel', {
      level: 127,
      transitionTime: 0,
      optionsMask: {},
      optionsOverride: {},
    });
    await waitFor(() => commandsTo('Living room lamp', before).includes('setIntensity:50'), 5000);
    // The gateway changes the setpoint itself: Home sees it, and it is not echoed back to the gateway as a write.
    sim.setState(url('Office heater'), 'core:TargetTemperatureState', 18);
    await controller.watch(heater.number, 'thermostat', 'occupiedHeatingSetpoint');
    await waitForAsync(async () => (await controller.state(heater.number, 'thermostat')).occupiedHeatingSetpoint === 1800, 8000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(commandsTo('Office heater', before).filter((c) => c.startsWith('setTargetTemperature'))).toEqual(['setTargetTemperature:21.5']);
  });

  it('a bridge without Matter: "expose": "matter" logs one line and the devices are published over HAP', async () => {
    const plain = await Bridge.create({
      platforms: [{ platform: 'BuildingHub', overkiz: [{ ...account(sim.url), label: 'Plain', expose: 'matter' }] }],
    });
    try {
      await plain.start();
      await plain.waitForLog(/Office shutter: added \(/);
      expect(plain.output.match(/ask for Matter, but Matter is not enabled for this bridge/g)).toHaveLength(1);
      const { accessories } = (await (await plain.client()).getAccessories()) as { accessories: HapAccessory[] };
      expect(accessories.length).toBeGreaterThan(30);
    } finally {
      await plain.dispose();
    }
  });

  it('after a restart the cached Matter accessories get their handlers back and still drive the gateway', async () => {
    await bridge.stop();
    await bridge.start();
    await bridge.waitForLog(/Attached plugin registration to restored accessory Office shutter/, 20_000);
    const office = endpointNamed(endpoints, 'Office shutter');
    const before = sim.executions.length;
    await waitForAsync(async () => {
      await controller.invoke(office.number, 'windowCovering', 'goToLiftPercentage', { liftPercent100thsValue: 5000 });
      return true;
    }, 30_000);
    await waitFor(() => commandsTo('Office shutter', before).includes('setClosure:50'), 5000);
    expect(bridge.output).not.toContain('e2e-matter-pass');
  });
});
