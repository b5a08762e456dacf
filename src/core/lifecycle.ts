import type { Clock } from './clock';

/** A device missing from a discovery is removed only when still missing on one at least this much later. */
export const REMOVAL_GRACE_MS = 10 * 60_000;
/** A suspect discovery (lists none of the known devices, or drops more than half at once) must be confirmed this long. */
export const SUSPECT_GRACE_MS = 60 * 60_000;

interface Miss {
  since: number;
  graceMs: number;
  timer: AbortController;
}

export interface LifecycleHooks {
  /** Remove the accessory and make the integration forget the device. */
  remove(id: string): void;
  /** Ask the vendor for a fresh discovery (a grace period ended, or a reply looked suspect). */
  rediscover(): void;
  log: { info(m: string): void; warn(m: string): void };
  describe(id: string): string;
  /** Devices the integration makes itself: left out when judging whether a reply looks suspect. */
  permanent(id: string): boolean;
}

/**
 * The one owner of "is this device gone?" for one account (ARCHITECTURE: never lose the user's Home setup).
 * A device is removed only after the vendor *successfully* reported it absent on two discoveries at least
 * 10 minutes apart; when the grace ends the vendor is asked to discover again, and the removal happens only if
 * that discovery still misses it. A device listed again is kept (same accessory). A discovery that lists none of
 * the known devices, or drops more than half at once, is suspect: it is logged, re-read, and its misses count only
 * when confirmed over an hour. Devices restored from the cache are known from the start, so a device deleted
 * while Homebridge was stopped goes through the same rule.
 */
export class DeviceLifecycle {
  private readonly known = new Set<string>();
  private readonly misses = new Map<string, Miss>();

  constructor(
    private readonly clock: Clock,
    private readonly signal: AbortSignal,
    private readonly hooks: LifecycleHooks,
  ) {}

  /** A device that has an accessory (published, or restored from the cache). */
  track(id: string): void {
    this.known.add(id);
  }

  isKnown(id: string): boolean {
    return this.known.has(id);
  }

  /** A successful discovery listing `ids`. Returns the ids that are new (to publish). */
  discovered(ids: readonly string[]): string[] {
    const listed = new Set(ids);
    const fresh = ids.filter((id) => !this.known.has(id));
    for (const id of listed) this.cancel(id, 'listed again, kept');
    const missing = [...this.known].filter((id) => !listed.has(id));
    if (missing.length === 0) return fresh;
    const newlyMissing = missing.filter((id) => !this.misses.has(id));
    // Judged on what the vendor lists: the integration's own devices (always listed) would hide an empty reply.
    const vendorKnown = [...this.known].filter((id) => !this.hooks.permanent(id));
    const vendorListed = vendorKnown.filter((id) => listed.has(id));
    const suspect = newlyMissing.length > 0 && (vendorListed.length === 0 || newlyMissing.length * 2 > vendorKnown.length);
    if (suspect) {
      this.hooks.log.warn(
        `the vendor listed ${listed.size} device(s) and none of ${newlyMissing.length} known one(s) (or more than half dropped at once); ` +
          `not taken as a removal: read again, and removed only if confirmed for an hour`,
      );
      this.hooks.rediscover();
    }
    const now = this.clock.now();
    for (const id of missing) {
      const miss = this.misses.get(id);
      if (!miss) {
        this.startGrace(id, suspect ? SUSPECT_GRACE_MS : REMOVAL_GRACE_MS);
        continue;
      }
      if (now - miss.since >= miss.graceMs) this.remove(id);
    }
    return fresh;
  }

  /** The device is gone for another reason (configuration): forget it without a grace. */
  forget(id: string): void {
    this.cancel(id);
    this.known.delete(id);
  }

  private startGrace(id: string, graceMs: number): void {
    const timer = new AbortController();
    this.misses.set(id, { since: this.clock.now(), graceMs, timer });
    this.hooks.log.info(
      `${this.hooks.describe(id)}: no longer listed by the vendor; removed if still missing in ${Math.round(graceMs / 60_000)} min`,
    );
    this.clock
      .sleep(graceMs, AbortSignal.any([this.signal, timer.signal]))
      .then(() => this.hooks.rediscover())
      .catch(() => undefined);
  }

  private cancel(id: string, why?: string): void {
    const miss = this.misses.get(id);
    if (!miss) return;
    miss.timer.abort();
    this.misses.delete(id);
    if (why) this.hooks.log.info(`${this.hooks.describe(id)}: ${why}`);
  }

  private remove(id: string): void {
    this.cancel(id);
    this.known.delete(id);
    this.hooks.remove(id);
  }
}
