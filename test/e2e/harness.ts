import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HttpClient, type PairingData } from 'hap-controller';
import { homebridge2, type HomebridgeRuntime } from '../helpers/homebridge2';
import { freePort } from '../helpers/ports';

export { freePort };

export const ROOT = resolve(__dirname, '..', '..');
/**
 * Homebridge 2.4 on node 22 (.cache/hb2, scripts/install-hb2.sh): what most users run, and the only one with Matter.
 * The matrix names each other combination, Homebridge 1.11 (the dev dependency) among them.
 */
const runtimeOf = (): HomebridgeRuntime =>
  process.env.MATRIX_HOMEBRIDGE_CLI
    ? { node: process.env.MATRIX_NODE ?? process.execPath, cli: process.env.MATRIX_HOMEBRIDGE_CLI }
    : homebridge2();
export const PIN = '031-45-154';

/** HAP short type ids used by the tests. */
export const T = {
  switch: '49',
  thermostat: '4A',
  name: '23',
  on: '25',
  currentTemperature: '11',
  targetTemperature: '35',
  currentHeatingState: 'F',
  targetHeatingState: '33',
  statusFault: '77',
  contactSensor: '80',
  occupancySensor: '86',
  windowCovering: '8C',
  currentPosition: '6D',
  targetPosition: '7C',
  lightbulb: '43',
  brightness: '8',
  temperatureSensor: '8A',
  leakSensor: '83',
  leakDetected: '70',
  occupancyDetected: '71',
  contactState: '6A',
  securitySystem: '7E',
  securityCurrent: '66',
  securityTarget: '67',
  hue: '13',
  saturation: '2F',
  colorTemperature: 'CE',
  eveTotalConsumption: 'E863F10C-079E-48FF-8F27-9C2605A29F52',
  heaterCooler: 'BC',
  active: 'B0',
  currentHeaterCoolerState: 'B1',
  targetHeaterCoolerState: 'B2',
  coolingThreshold: '0D',
  heatingThreshold: '12',
  rotationSpeed: '29',
  swingMode: 'B6',
  fanV2: 'B7',
  targetFanState: 'BF',
} as const;

const running = new Set<ChildProcess>();

function randomMac(): string {
  return [
    '0E',
    ...Array.from({ length: 5 }, () =>
      Math.floor(Math.random() * 256)
        .toString(16)
        .padStart(2, '0')
        .toUpperCase(),
    ),
  ].join(':');
}

export interface BridgeOptions {
  platforms: object[];
  storage?: string;
  port?: number;
  username?: string;
  /** Runs Homebridge's Matter server for the bridge, on this UDP port. */
  matterPort?: number;
}

/** A real Homebridge child process running the built plugin on loopback, with a fresh storage dir. */
export class Bridge {
  readonly storage: string;
  readonly port: number;
  readonly username: string;
  readonly matterPort?: number;
  output = '';
  private child?: ChildProcess;
  private exit?: Promise<number | null>;
  private readonly runtime: HomebridgeRuntime;
  private pairing?: PairingData;
  private clients: HttpClient[] = [];

  private constructor(opts: BridgeOptions & { port: number }) {
    this.storage = opts.storage ?? mkdtempSync(join(tmpdir(), 'bhub-e2e-'));
    this.port = opts.port;
    this.username = opts.username ?? randomMac();
    this.matterPort = opts.matterPort;
    this.runtime = runtimeOf();
    this.configure(opts.platforms);
  }

  static async create(opts: BridgeOptions): Promise<Bridge> {
    return new Bridge({ ...opts, port: opts.port ?? (await freePort()) });
  }

  /** Rewrites the config (same bridge identity and storage) for the next start. */
  configure(platforms: object[]): void {
    const bridge = { name: 'E2E Bridge', username: this.username, port: this.port, pin: PIN, bind: ['lo'], advertiser: 'ciao' };
    writeFileSync(
      join(this.storage, 'config.json'),
      JSON.stringify({
        bridge: this.matterPort ? { ...bridge, matter: { port: this.matterPort } } : bridge,
        accessories: [],
        platforms,
      }),
    );
  }

  async start(timeoutMs = 30_000): Promise<void> {
    this.output = '';
    const child = spawn(this.runtime.node, [this.runtime.cli, '-U', this.storage, '-P', ROOT, '--strict-plugin-resolution', '-Q', '-D'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    running.add(child);
    child.stdout?.on('data', (d) => (this.output += d.toString()));
    child.stderr?.on('data', (d) => (this.output += d.toString()));
    this.exit = new Promise((res) =>
      child.once('exit', (code) => {
        running.delete(child);
        res(code);
      }),
    );
    await waitFor(
      () => /is running on port/.test(this.output),
      timeoutMs,
      () => child.exitCode !== null,
      () => `Homebridge did not start:\n${this.output}`,
    );
  }

  /** SIGTERM, then SIGKILL after `killAfterMs`. Resolves with how long the process took to exit on its own (or Infinity). */
  async stop(killAfterMs = 3000): Promise<number> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return 0;
    const t0 = Date.now();
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    await this.exit;
    clearTimeout(killer);
    return child.signalCode === 'SIGKILL' ? Infinity : Date.now() - t0;
  }

  async client(): Promise<HttpClient> {
    const client = new HttpClient(this.username, '127.0.0.1', this.port, this.pairing, { usePersistentConnections: true });
    if (!this.pairing) {
      await client.pairSetup(PIN);
      this.pairing = client.getLongTermData() ?? undefined;
    }
    this.clients.push(client);
    return client;
  }

  async dispose(): Promise<void> {
    for (const c of this.clients) await c.close().catch(() => undefined);
    this.clients = [];
    await this.stop();
    rmSync(this.storage, { recursive: true, force: true });
  }

  waitForLog(re: RegExp, timeoutMs = 15_000): Promise<void> {
    return waitFor(
      () => re.test(this.output),
      timeoutMs,
      () => false,
      () => `log line ${re} not seen:\n${this.output}`,
    );
  }
}

/** Kills every Homebridge a test left behind (jest afterAll), even when the test failed. */
export function killAll(): void {
  for (const c of running) c.kill('SIGKILL');
  running.clear();
}

export async function waitFor(
  cond: () => boolean,
  timeoutMs: number,
  abort: () => boolean = () => false,
  why: () => string = () => 'timed out',
): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (abort() || Date.now() - t0 > timeoutMs) throw new Error(why());
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---- reading the accessory database ----

interface HapCharacteristic {
  iid: number;
  type: string;
  value?: unknown;
}
interface HapService {
  iid: number;
  type: string;
  characteristics: HapCharacteristic[];
}
export interface HapAccessory {
  aid: number;
  services: HapService[];
}

export function isType(type: string | undefined, short: string): boolean {
  return !!type && (type.toUpperCase() === short || type.toUpperCase().startsWith(`${short.padStart(8, '0')}-`));
}

/** The "aid.iid" of a characteristic on the service of a given type whose Name is `name`. */
export function charId(accessories: HapAccessory[], serviceType: string, name: string, charType: string): string {
  for (const acc of accessories) {
    for (const svc of acc.services) {
      if (!isType(svc.type, serviceType)) continue;
      const n = svc.characteristics.find((c) => isType(c.type, T.name))?.value;
      if (n !== name) continue;
      const ch = svc.characteristics.find((c) => isType(c.type, charType));
      if (ch) return `${acc.aid}.${ch.iid}`;
    }
  }
  throw new Error(`no ${serviceType}/${charType} named ${name}`);
}

export function serviceNames(accessories: HapAccessory[], serviceType: string): string[] {
  return accessories.flatMap((a) =>
    a.services.filter((s) => isType(s.type, serviceType)).map((s) => String(s.characteristics.find((c) => isType(c.type, T.name))?.value)),
  );
}

export async function read(client: HttpClient, id: string): Promise<{ value?: unknown; status?: number }> {
  const res = await client.getCharacteristics([id]);
  const c = res.characteristics[0] as { value?: unknown; status?: number };
  return { value: c.value, status: c.status };
}
