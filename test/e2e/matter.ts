import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { homebridge2, matterMainUrl } from '../helpers/homebridge2';
import { type Bridge, freePort, ROOT, waitFor } from './harness';

export interface MatterEndpoint {
  number: number;
  label?: string;
  reachable?: boolean;
  clusters: string[];
}

export interface AttributeChange {
  endpoint: number;
  cluster: string;
  attribute: string;
  value: unknown;
  at: number;
}

const running = new Set<ChildProcess>();

/**
 * A real Matter controller (matter.js, in a child process: test/e2e/matterController.mjs) that commissions a
 * Homebridge bridge with the passcode Homebridge generated, then reads, invokes, writes and watches attributes.
 */
export class MatterController {
  readonly changes: AttributeChange[] = [];
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly storage: string,
  ) {
    createInterface({ input: child.stdout! }).on('line', (line) => this.onLine(line));
    child.stderr?.on('data', (d) => (this.stderr += d.toString()));
    child.once('exit', () => {
      running.delete(child);
      for (const w of this.waiting.values()) w.reject(new Error(`controller exited:\n${this.stderr.slice(-2000)}`));
      this.waiting.clear();
    });
  }

  static async start(): Promise<MatterController> {
    const storage = mkdtempSync(join(tmpdir(), 'bhub-matter-ctrl-'));
    const { node } = homebridge2();
    const child = spawn(node, [join(ROOT, 'test', 'e2e', 'matterController.mjs'), storage, String(await freePort())], {
      cwd: ROOT,
      env: { ...process.env, MATTER_MAIN: matterMainUrl() },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    running.add(child);
    return new MatterController(child, storage);
  }

  /** Commissions the bridge with the passcode and discriminator Homebridge saved for it. */
  async commission(bridge: Bridge): Promise<MatterEndpoint[]> {
    const file = join(bridge.storage, 'matter', bridge.username.replace(/:/g, ''), 'commissioning.json');
    await waitFor(() => {
      try {
        readFileSync(file);
        return true;
      } catch {
        return false;
      }
    }, 20_000);
    const info = JSON.parse(readFileSync(file, 'utf8')) as { passcode: number; discriminator: number };
    return (await this.call('commission', { passcode: info.passcode, discriminator: info.discriminator })) as MatterEndpoint[];
  }

  async endpoints(): Promise<MatterEndpoint[]> {
    return (await this.call('endpoints', {})) as MatterEndpoint[];
  }

  async state(endpoint: number, cluster: string): Promise<Record<string, unknown>> {
    return (await this.call('state', { endpoint, cluster })) as Record<string, unknown>;
  }

  async invoke(endpoint: number, cluster: string, command: string, args?: Record<string, unknown>): Promise<void> {
    await this.call('invoke', { endpoint, cluster, command, args });
  }

  async write(endpoint: number, cluster: string, values: Record<string, unknown>): Promise<void> {
    await this.call('write', { endpoint, cluster, values });
  }

  async watch(endpoint: number, cluster: string, attribute: string): Promise<void> {
    await this.call('watch', { endpoint, cluster, attribute });
  }

  async dispose(): Promise<void> {
    if (this.child.exitCode === null) {
      await Promise.race([this.call('close', {}).catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
      this.child.kill('SIGKILL');
    }
    this.child.stdin?.destroy();
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    rmSync(this.storage, { recursive: true, force: true });
  }

  private call(op: string, args: Record<string, unknown>): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.stdin!.write(`${JSON.stringify({ id, op, ...args })}\n`);
    });
  }

  private onLine(line: string): void {
    let msg: { id?: number; result?: unknown; error?: string; event?: string } & Partial<AttributeChange>;
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return; // matter.js log output
    }
    if (msg.event === 'change') {
      this.changes.push(msg as AttributeChange);
      return;
    }
    const w = msg.id === undefined ? undefined : this.waiting.get(msg.id);
    if (!w || msg.id === undefined) return;
    this.waiting.delete(msg.id);
    if (msg.error !== undefined) w.reject(new Error(msg.error));
    else w.resolve(msg.result);
  }
}

/** Kills every controller a test left behind (jest afterAll), even when the test failed. */
export function killControllers(): void {
  for (const c of running) c.kill('SIGKILL');
  running.clear();
}

export function endpointNamed(endpoints: MatterEndpoint[], label: string): MatterEndpoint {
  const ep = endpoints.find((e) => e.label === label);
  if (!ep) throw new Error(`no Matter endpoint named ${label}: ${endpoints.map((e) => e.label).join(', ')}`);
  return ep;
}

/** waitFor for a condition that has to ask the controller. */
export async function waitForAsync(cond: () => Promise<boolean>, timeoutMs: number, why = 'timed out'): Promise<void> {
  const t0 = Date.now();
  while (!(await cond().catch(() => false))) {
    if (Date.now() - t0 > timeoutMs) throw new Error(why);
    await new Promise((r) => setTimeout(r, 200));
  }
}
