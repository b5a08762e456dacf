import { demoCovers, OverkizSimulator } from '../../src/simulators/overkiz';
import { startHarmonysDemo } from '../../src/simulators/harmonys';
import { FakeHomebridge } from '../helpers/fakeHomebridge';
import { statusOf } from '../helpers/fakeMatter';
import { shutters } from '../helpers/overkizFixture';

const until = async (cond: () => boolean, ms = 5000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('Matter through the platform (Homebridge 2 api.matter)', () => {
  let sim: OverkizSimulator;
  const hbs: FakeHomebridge[] = [];
  const account = (extra: Record<string, unknown> = {}) => ({
    label: 'Home',
    server: 'custom',
    baseUrl: sim.url,
    username: 'me@example.org',
    password: 'pw-123456',
    ...extra,
  });
  const bridge = (config: Record<string, unknown>, matter = true) => {
    const hb = new FakeHomebridge(config, undefined, matter);
    hbs.push(hb);
    return hb;
  };

  beforeEach(async () => {
    sim = new OverkizSimulator({ userId: 'me@example.org', password: 'pw-123456', devices: shutters(3) });
    await sim.start();
  });

  afterEach(async () => {
    for (const hb of hbs.splice(0)) {
      hb.shutdown();
      hb.dispose();
    }
    await sim.stop();
  });

  it('"expose": "matter" where Matter is not running: one line naming the accounts, and the devices go to HAP', async () => {
    const hb = bridge({ overkiz: [account({ expose: 'matter' })] }, false);
    await hb.launch();
    await hb.platform.started;
    await until(() => hb.accessories().length === 3);
    const lines = hb.log.matching(/ask for Matter/, 'warn');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('overkiz[0]');
  });

  it('"expose": "matter": devices only on Matter, HAP accessories of an earlier HAP run removed; a restart reattaches them', async () => {
    const hb = bridge({ overkiz: [account()] });
    await hb.launch();
    await until(() => hb.accessories().length === 3);
    expect(hb.matter!.accessories.size).toBe(0);
    hb.shutdown();
    hb.reconfigure({ overkiz: [account({ expose: 'matter' })] });
    await hb.launch();
    await until(() => hb.matter!.accessories.size === 3);
    expect(hb.accessories()).toHaveLength(0);
    expect(hb.log.matching(/removed from HomeKit \(the account is on Matter only\)/, 'info')).toHaveLength(3);
    const cover = hb.matter!.byName('Shutter 1')!;
    expect((cover.deviceType as unknown as { name: string }).name).toBe('WindowCovering');
    expect(cover.context).toMatchObject({ device: { name: 'Shutter 1' } });

    // The gateway moves the shutter while Homebridge is down: after the restart Matter shows the gateway's value,
    // not the one in Homebridge's Matter cache.
    await until(() => hb.matter!.state('Shutter 1', 'windowCovering')?.currentPositionLiftPercent100ths !== undefined);
    hb.shutdown();
    sim.setState(sim.opts.devices[0].deviceURL, 'core:ClosureState', 35);
    await hb.launch();
    await until(() => hb.matter!.state('Shutter 1', 'windowCovering')?.currentPositionLiftPercent100ths === 3500);
    expect(hb.matter!.accessories.size).toBe(3);
    expect(hb.log.matching(/not published over Matter/)).toHaveLength(0);
  });

  it('a Matter command takes the HAP write path (one execution); a device that does not answer is unreachable and refuses', async () => {
    const hb = bridge({ overkiz: [account({ expose: 'matter' })] });
    await hb.launch();
    await until(() => hb.matter!.byName('Shutter 2')?.ready === true);
    await hb.matter!.invoke('Shutter 2', 'windowCovering', 'goToLiftPercentage', { liftPercent100thsValue: 2500 });
    await until(() => sim.executions.length === 1, 15_000);
    expect(sim.executions[0].actions).toEqual([
      { deviceURL: sim.opts.devices[1].deviceURL, commands: [{ name: 'setClosure', parameters: [25] }] },
    ]);
    await hb.matter!.invoke('Shutter 3', 'windowCovering', 'upOrOpen');
    await until(() => sim.executions.length === 2, 15_000);
    expect(sim.executions[1].actions[0].commands).toEqual([{ name: 'setClosure', parameters: [0] }]);

    sim.device(sim.opts.devices[0].deviceURL)!.available = false;
    sim.emit({ name: 'DeviceUnavailableEvent', deviceURL: sim.opts.devices[0].deviceURL });
    await until(
      () => hb.matter!.updates.some((u) => u.cluster === 'bridgedDeviceBasicInformation' && u.attrs.reachable === false),
      8000,
    ).catch((e) => {
      throw new Error(`${String(e)}; the log:\n${hb.log.lines.map((l) => l.message).join('\n')}`);
    });
    const refused = await hb.matter!.invoke('Shutter 1', 'windowCovering', 'downOrClose').catch((e: unknown) => e);
    expect(statusOf(refused)).toBe('Failure');
    expect(sim.executions).toHaveLength(2);
  });

  it('Harmonys alert buttons reach Matter only when listed under matterButtons; HAP shows every listed button', async () => {
    const demo = await startHarmonysDemo();
    try {
      const buttons = (demo.account.buttons as Array<{ buttonUuid: string }>).map((b) => b.buttonUuid);
      const hb = bridge({ harmonys: [{ ...demo.account, expose: 'both', matterButtons: [buttons[2], 'not-a-listed-button'] }] });
      await hb.launch();
      await until(() => hb.accessories().some((a) => a.displayName === 'Evacuation'));
      await until(() => hb.matter!.byName('Evacuation') !== undefined);
      const hapButtons = hb.accessories().filter((a) => ['Intrusion', 'Confinement', 'Evacuation', 'End of alert'].includes(a.displayName));
      expect(hapButtons).toHaveLength(4);
      for (const name of ['Intrusion', 'Confinement', 'End of alert']) expect(hb.matter!.byName(name)).toBeUndefined();
      expect(hb.log.matching(/matterButtons names not-a-listed-button, not listed under buttons/, 'warn')).toHaveLength(1);
      // The sites' sensors are not alert buttons: they are on Matter too.
      expect(hb.matter!.byName('Jules Ferry primary school')).toBeDefined();
    } finally {
      await demo.stop();
    }
  });

  it('400 devices over Matter on one bridge: all published (HAP stops at 149), one registration each', async () => {
    await sim.stop();
    sim = new OverkizSimulator(demoCovers(400, 'me@example.org', 'pw-123456'));
    await sim.start();
    const hb = bridge({ overkiz: [account({ expose: 'matter' })] });
    await hb.launch();
    await until(() => hb.matter!.accessories.size === 400, 20_000);
    expect(new Set([...hb.matter!.accessories.values()].map((a) => a.displayName)).size).toBe(400);
    // One call per device: Homebridge would drop the rest of a list after one refused accessory.
    expect(hb.matter!.registerCalls).toBe(400);
    expect(hb.accessories()).toHaveLength(0);
    expect(hb.log.matching(/HomeKit's limit|not published/)).toHaveLength(0);
  });
});
