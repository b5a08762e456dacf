import { describeError, RateLimitError } from '../core/errors';
import type { Logger } from '../core/log';
import type { Capability, Command, Device } from '../core/model';
import type { AccessoryContext } from '../homekit/accessoryBinder';
import type { MatterAccessory, MatterAPI } from './homebridgeMatter';
import { cleanName } from '../homekit/names';
import { partFor } from './parts';
import type { PartSpec } from './spec';

export type HubMatterAccessory = MatterAccessory<AccessoryContext>;

interface BoundPart {
  /** Undefined for the accessory's own endpoint, else the Matter part id. */
  partId?: string;
  capabilityId: string;
}

/** Matter.js endpoint ids allow letters, digits, "-" and "_" only. */
const partIdOf = (capabilityId: string) => capabilityId.replace(/[^A-Za-z0-9_-]/g, '_');

/** After a write, Homebridge stores the asked value; ours comes back this much later (a scene switch is off again). */
const REPUSH_AFTER_MS = 300;
/** Failed pushes in a row (one a second) before we stop trying. */
const MAX_PUSH_FAILURES = 60;

/**
 * Keeps one Matter accessory in step with one Device, as AccessoryBinder does for HAP: the first capability Matter can
 * show is the accessory's own endpoint, the others are parts; commands become the same Commands HAP sends; only
 * changed cluster attributes are pushed; No Response is the bridged node's `reachable` flag.
 */
export class MatterBinder {
  private device: Device;
  private parts: BoundPart[] = [];
  private structure = '';
  /** JSON of the attributes last pushed, per "<part>/<cluster>". */
  private pushed = new Map<string, string>();
  private retry?: NodeJS.Timeout;
  private failures = 0;
  private disposed = false;
  readonly accessory: HubMatterAccessory;

  constructor(
    private readonly matter: MatterAPI,
    readonly uuid: string,
    readonly integrationKey: string,
    device: Device,
    private readonly log: Logger,
    readonly execute: (command: Command) => Promise<void>,
  ) {
    this.device = device;
    this.accessory = this.build();
  }

  /** False when no capability of the device has a Matter device type: nothing to publish. */
  get publishable(): boolean {
    return this.parts.length > 0;
  }

  get current(): Device {
    return this.device;
  }

  /** Pushes what changed; answers false when the device's shape changed and the accessory must be registered again. */
  update(device: Device): boolean {
    this.device = device;
    this.accessory.context.device = device;
    if (shapeOf(device) !== this.structure) return false;
    this.push();
    return true;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.retry);
  }

  /** After registration: the states Homebridge restored from its cache may be older than ours. */
  pushAll(): void {
    this.pushed.clear();
    this.push();
  }

  private build(): HubMatterAccessory {
    const { device } = this;
    this.structure = shapeOf(device);
    this.parts = [];
    const specs: Array<{ cap: Capability; spec: PartSpec<Capability> }> = [];
    for (const cap of device.capabilities) {
      const spec = partFor(cap);
      if (spec) specs.push({ cap, spec });
    }
    const [main, ...rest] = specs;
    const accessory: HubMatterAccessory = {
      UUID: this.uuid,
      displayName: clip(cleanName(device.name)),
      // Only a device with nothing to show has no main part; it is never registered (see publishable).
      deviceType: this.matter.deviceTypes[main?.spec.deviceType ?? 'OnOffSwitch'],
      serialNumber: clip(cleanName(device.serial, device.id)),
      manufacturer: clip(cleanName(device.manufacturer, 'Building Hub')),
      model: clip(cleanName(device.model, 'Device')),
      ...(device.firmware?.match(/\d+(\.\d+){0,2}/) ? { firmwareRevision: device.firmware.match(/\d+(\.\d+){0,2}/)?.[0] } : {}),
      context: { integrationKey: this.integrationKey, device },
    };
    if (main) {
      this.parts.push({ capabilityId: main.cap.id });
      accessory.clusters = main.spec.state;
      accessory.handlers = this.handlers(main.cap.id, main.spec);
    }
    if (rest.length) {
      accessory.parts = rest.map(({ cap, spec }) => {
        const partId = partIdOf(cap.id);
        this.parts.push({ partId, capabilityId: cap.id });
        return {
          id: partId,
          displayName: clip(cleanName(cap.name, device.name)),
          deviceType: this.matter.deviceTypes[spec.deviceType],
          clusters: spec.state,
          handlers: this.handlers(cap.id, spec, partId),
        };
      });
    }
    for (const p of this.parts) {
      const spec = this.specOf(p);
      for (const [cluster, attrs] of Object.entries(spec?.state ?? {}))
        this.pushed.set(`${p.partId ?? ''}/${cluster}`, JSON.stringify(attrs));
    }
    return accessory;
  }

  private capability(id: string): Capability | undefined {
    return this.device.capabilities.find((c) => c.id === id);
  }

  private specOf(p: BoundPart): PartSpec<Capability> | undefined {
    const cap = this.capability(p.capabilityId);
    return cap && partFor(cap);
  }

  /** Handlers only for the clusters the endpoint has (Homebridge warns about the others). */
  private handlers(capabilityId: string, spec: PartSpec<Capability>, partId?: string): HubMatterAccessory['handlers'] {
    const out: Record<string, Record<string, (args: unknown) => Promise<void>>> = {};
    for (const [cluster, commands] of Object.entries(spec.handlers ?? {})) {
      if (!(cluster in spec.state)) continue;
      out[cluster] = {};
      for (const [name, handler] of Object.entries(commands)) {
        out[cluster][name] = (args) => this.write(capabilityId, partId, name, (cap) => handler(isRecord(args) ? args : {}, cap));
      }
    }
    // Our handlers take what Homebridge passes and check it themselves: the per-cluster typing adds nothing here.
    return out as HubMatterAccessory['handlers'];
  }

  private async write(
    capabilityId: string,
    partId: string | undefined,
    what: string,
    commandsFor: (cap: Capability) => ReturnType<NonNullable<PartSpec<Capability>['handlers']>[string][string]>,
  ): Promise<void> {
    const cap = this.capability(capabilityId);
    if (!this.device.available || !cap) throw new this.matter.status.Failure(`${this.device.name} does not answer`);
    const commands = commandsFor(cap);
    try {
      for (const c of commands) await this.execute({ capabilityId, ...c } as Command);
    } catch (err) {
      this.log.warn(`${this.device.name}: ${what} (Matter) failed: ${describeError(err)}`);
      this.repush(partId);
      if (err instanceof RateLimitError) throw new this.matter.status.Busy(describeError(err));
      throw new this.matter.status.Failure(describeError(err));
    }
    this.repush(partId);
  }

  /** Shows the device's real state again once Homebridge has stored the asked value. */
  private repush(partId: string | undefined): void {
    setTimeout(() => {
      if (this.disposed) return;
      for (const key of [...this.pushed.keys()]) if (key.startsWith(`${partId ?? ''}/`)) this.pushed.delete(key);
      this.push();
    }, REPUSH_AFTER_MS).unref();
  }

  /** Each endpoint's clusters, and the bridged node's `reachable`, where they differ from what was pushed last. */
  private push(): void {
    this.pushIfChanged(undefined, 'bridgedDeviceBasicInformation', { reachable: this.device.available });
    for (const p of this.parts) {
      const spec = this.specOf(p);
      for (const [cluster, attrs] of Object.entries(spec?.state ?? {})) this.pushIfChanged(p.partId, cluster, attrs);
    }
  }

  private pushIfChanged(partId: string | undefined, cluster: string, attrs: Record<string, unknown>): void {
    const key = `${partId ?? ''}/${cluster}`;
    const json = JSON.stringify(attrs);
    if (this.pushed.get(key) === json) return;
    this.pushed.set(key, json);
    this.matter.updateAccessoryState(this.uuid, cluster, attrs, partId).then(
      () => (this.failures = 0),
      (err: unknown) => this.sendFailed(key, json, cluster, err),
    );
  }

  /**
   * Until Homebridge has built the endpoint (registration runs after its call returns), updates fail: what failed is
   * pushed again a second later, so the endpoint ends up with our state whenever it is ready.
   */
  private sendFailed(key: string, json: string, cluster: string, err: unknown): void {
    if (this.disposed) return;
    // Forget it only if nothing newer was pushed since: the next push sends the state of then.
    if (this.pushed.get(key) === json) this.pushed.delete(key);
    // A minute of failures is not a slow registration: Matter refuses the values; say so once and stop trying.
    if (++this.failures === MAX_PUSH_FAILURES)
      this.log.warn(`${this.device.name}: Matter refuses its ${cluster} state: ${describeError(err)}`);
    if (this.failures >= MAX_PUSH_FAILURES) return;
    this.retry ??= setTimeout(() => {
      this.retry = undefined;
      if (!this.disposed) this.push();
    }, 1000).unref();
  }
}

/** Matter's names, models and serials hold at most 32 bytes of UTF-8: cut at a character, at a word where one is near. */
export function clip(text: string, bytes = 32): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch) > bytes) break;
    out += ch;
  }
  const word = out.lastIndexOf(' ');
  return (word >= out.length * 0.6 ? out.slice(0, word) : out).trimEnd();
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The endpoints and attributes a device needs (not their values); a change means a new registration. */
export function shapeOf(device: Device): string {
  const shape: Array<[string, string, Record<string, string[]>]> = [];
  for (const cap of device.capabilities) {
    const spec = partFor(cap);
    if (spec) shape.push([cap.id, spec.deviceType, Object.fromEntries(Object.entries(spec.state).map(([c, a]) => [c, Object.keys(a)]))]);
  }
  return JSON.stringify(shape);
}
