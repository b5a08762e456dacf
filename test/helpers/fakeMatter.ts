import type { MatterAccessory } from '../../src/matter/homebridgeMatter';

type Handler = (args: unknown) => Promise<void> | void;

class MatterStatusError extends Error {
  constructor(
    readonly status: string,
    message?: string,
  ) {
    super(message);
  }
}

export interface SerializedMatter {
  UUID: string;
  displayName: string;
  deviceType: { name: string };
  context: unknown;
  clusters: Record<string, Record<string, unknown>>;
}

/**
 * Enough of Homebridge 2's `api.matter` for platform tests: device types are named stand-ins, registrations and
 * cluster states are recorded, handlers can be called as a Matter controller's commands would. Like Homebridge,
 * registration resolves at once and the endpoint exists a moment later (updates before that reject).
 */
export class FakeMatter {
  readonly accessories = new Map<string, MatterAccessory & { ready: boolean }>();
  /** Every updateAccessoryState call that reached a registered endpoint, in order. */
  readonly updates: Array<{ uuid: string; partId?: string; cluster: string; attrs: Record<string, unknown> }> = [];
  registerCalls = 0;

  readonly deviceTypes = new Proxy({} as Record<string, { name: string }>, { get: (_t, name) => ({ name: String(name) }) });
  readonly status = {
    Busy: class extends MatterStatusError {
      constructor(m?: string) {
        super('Busy', m);
      }
    },
    Failure: class extends MatterStatusError {
      constructor(m?: string) {
        super('Failure', m);
      }
    },
  };
  readonly uuid = { generate: (s: string) => s };

  async registerPlatformAccessories(_plugin: string, _platform: string, list: MatterAccessory[]): Promise<void> {
    this.registerCalls++;
    for (const a of list) {
      const entry = Object.assign(a, { ready: false });
      // Like Homebridge's cache restore: a restored endpoint keeps its cached attributes over the registered ones.
      const cached = this.accessories.get(a.UUID);
      if (cached) entry.clusters = { ...a.clusters, ...cached.clusters };
      this.accessories.set(a.UUID, entry);
      setTimeout(() => (entry.ready = true), 5);
    }
  }

  async unregisterPlatformAccessories(_plugin: string, _platform: string, list: Array<{ UUID: string }>): Promise<void> {
    for (const a of list) this.accessories.delete(a.UUID);
  }

  async updateAccessoryState(uuid: string, cluster: string, attrs: Record<string, unknown>, partId?: string): Promise<void> {
    const a = this.accessories.get(uuid);
    if (!a?.ready) throw new Error(`Accessory ${uuid} not found or not registered`);
    const target = partId ? a.parts?.find((p) => p.id === partId) : a;
    if (!target) throw new Error(`Part ${partId} not found`);
    target.clusters = { ...target.clusters, [cluster]: { ...target.clusters?.[cluster], ...attrs } };
    this.updates.push({ uuid, partId, cluster, attrs });
  }

  byName(name: string): (MatterAccessory & { ready: boolean }) | undefined {
    return [...this.accessories.values()].find((a) => a.displayName === name);
  }

  /** The attributes a controller would read now. */
  state(name: string, cluster: string, partId?: string): Record<string, unknown> | undefined {
    const a = this.byName(name);
    const target = partId ? a?.parts?.find((p) => p.id === partId) : a;
    return target?.clusters?.[cluster];
  }

  /** A controller's command (or attribute write) on an accessory. */
  async invoke(name: string, cluster: string, command: string, args?: unknown, partId?: string): Promise<void> {
    const a = this.byName(name);
    const target = partId ? a?.parts?.find((p) => p.id === partId) : a;
    const handler = (target?.handlers as Record<string, Record<string, Handler>> | undefined)?.[cluster]?.[command];
    if (!handler) throw new Error(`no ${cluster}.${command} on ${name}${partId ? `/${partId}` : ''}`);
    await handler(args);
  }

  /** What Homebridge's Matter cache keeps across a restart: no handlers. */
  serialize(): SerializedMatter[] {
    return [...this.accessories.values()].map((a) => ({
      UUID: a.UUID,
      displayName: a.displayName,
      deviceType: { name: (a.deviceType as unknown as { name: string }).name },
      context: structuredClone(a.context),
      clusters: structuredClone(a.clusters ?? {}) as Record<string, Record<string, unknown>>,
    }));
  }

  /** A new process: the cached accessories are endpoints again, without handlers. */
  restore(saved: SerializedMatter[]): void {
    this.accessories.clear();
    for (const s of saved) {
      this.accessories.set(s.UUID, { ...(s as unknown as MatterAccessory), ready: true });
    }
  }
}

export function statusOf(err: unknown): string | undefined {
  return err instanceof MatterStatusError ? err.status : undefined;
}
