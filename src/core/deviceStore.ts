import { applyCommand, aspectOf } from './capabilityPatch';
import type { Capability, Command, Device } from './model';

/** The main route of an account: every device depends on it. */
export const MAIN_ROUTE = 'main';

interface Expected {
  command: Command;
  /** The vendor accepted it: the next report of the device replaces it. */
  accepted: boolean;
}

/**
 * The devices of one account as the vendor last reported them, with what Home asked on top and the account's
 * reachability per route. What HomeKit sees is the combination: a device is available only while every route
 * that feeds it answers and the vendor says the device is online; a write shows its asked value until the
 * vendor accepts it (then the next report wins) or refuses it (then the reported value comes back and the
 * capability faults until a write to it succeeds). Only devices whose visible state changed are announced.
 */
export class DeviceStore {
  private readonly reported = new Map<string, Device>();
  private readonly snapshots = new Map<string, string>();
  private readonly expected = new Map<string, Map<string, Expected>>();
  /** Capabilities whose last write failed (true) or succeeded after a failure (false, so the fault shows cleared). */
  private readonly writeFaults = new Map<string, Map<string, boolean>>();
  private readonly down = new Set<string>();
  private readonly changeListeners: Array<(deviceId: string) => void> = [];
  /** The boundary between the vendor loop and the HomeKit glue: a listener that throws never reaches the loop. */
  listenerFailed: (deviceId: string, err: unknown) => void = () => undefined;

  /** `routesOf` names the routes a device depends on besides the main one (a status route for a site sensor). */
  constructor(private readonly routesOf: (device: Device) => readonly string[] = () => []) {}

  onChange(listener: (deviceId: string) => void): void {
    this.changeListeners.push(listener);
  }

  list(): Device[] {
    return [...this.reported.keys()].map((id) => this.get(id) as Device);
  }

  has(id: string): boolean {
    return this.reported.has(id);
  }

  get(id: string): Device | undefined {
    const d = this.reported.get(id);
    if (!d) return undefined;
    const expected = this.expected.get(id);
    const faults = this.writeFaults.get(id);
    const capabilities = expected || faults ? d.capabilities.map((c) => shown(c, expected, faults)) : d.capabilities;
    return { ...d, capabilities, available: d.available && this.routesUp(d) };
  }

  /** The device as the vendor last reported it, without the writes still pending on top. */
  reportedDevice(id: string): Device | undefined {
    return this.reported.get(id);
  }

  /** Devices kept from the accessory cache: shown with their last values until the vendor answers. */
  restore(devices: Device[]): void {
    for (const d of devices) {
      if (this.reported.has(d.id)) continue;
      this.reported.set(d.id, atRest(d));
      this.snapshots.set(d.id, JSON.stringify(this.get(d.id)));
    }
  }

  /** After a successful discovery or poll. Devices missing from `devices` are kept: the lifecycle decides. */
  upsert(devices: Device[]): void {
    for (const d of devices) this.put(d);
  }

  /** Applies a local change (an event, a confirmed write) to one device. */
  patch(id: string, change: (d: Device) => Device): void {
    const d = this.reported.get(id);
    if (d) this.put(change(structuredClone(d)));
  }

  /** The lifecycle removed the device: nothing of it is kept, and nothing but a new report brings it back. */
  forget(id: string): void {
    this.reported.delete(id);
    this.snapshots.delete(id);
    this.expected.delete(id);
    this.writeFaults.delete(id);
  }

  /** Shows a write as asked until `settle` gives the vendor's verdict on this very command object. */
  expect(deviceId: string, command: Command): void {
    const byAspect = this.expected.get(deviceId) ?? new Map<string, Expected>();
    byAspect.set(aspectOf(command), { command, accepted: false });
    this.expected.set(deviceId, byAspect);
    this.announceIfChanged(deviceId);
  }

  /** The vendor's verdict: accepted writes give way to the next report, refused ones show the real value and fault. */
  settle(deviceId: string, commands: readonly Command[], ok: boolean): void {
    const byAspect = this.expected.get(deviceId);
    for (const command of commands) {
      const entry = byAspect?.get(aspectOf(command));
      // A newer write to the same aspect keeps showing until its own verdict.
      if (entry?.command === command) {
        if (ok) entry.accepted = true;
        else byAspect?.delete(aspectOf(command));
      }
      this.setWriteFault(deviceId, command.capabilityId, !ok);
    }
    if (byAspect?.size === 0) this.expected.delete(deviceId);
    this.announceIfChanged(deviceId);
  }

  /** A write's fault set or cleared from outside a batch (an execution the vendor reports failed later). */
  markWriteFault(deviceId: string, capabilityIds: readonly string[], fault: boolean): void {
    for (const id of capabilityIds) this.setWriteFault(deviceId, id, fault);
    this.announceIfChanged(deviceId);
  }

  setReachable(reachable: boolean, route = MAIN_ROUTE): void {
    if (this.down.has(route) === !reachable) return;
    if (reachable) this.down.delete(route);
    else this.down.add(route);
    for (const id of this.reported.keys()) this.announceIfChanged(id);
  }

  private routesUp(d: Device): boolean {
    if (this.down.size === 0) return true;
    return !this.down.has(MAIN_ROUTE) && !this.routesOf(d).some((r) => this.down.has(r));
  }

  private setWriteFault(deviceId: string, capabilityId: string, fault: boolean): void {
    const faults = this.writeFaults.get(deviceId) ?? new Map<string, boolean>();
    if (!fault && !faults.has(capabilityId)) return;
    faults.set(capabilityId, fault);
    this.writeFaults.set(deviceId, faults);
  }

  private put(device: Device): void {
    this.reported.set(device.id, device);
    // The vendor's report now includes what it accepted.
    const byAspect = this.expected.get(device.id);
    if (byAspect) {
      for (const [aspect, e] of byAspect) if (e.accepted) byAspect.delete(aspect);
      if (byAspect.size === 0) this.expected.delete(device.id);
    }
    this.announceIfChanged(device.id);
  }

  private announceIfChanged(id: string): void {
    const snap = JSON.stringify(this.get(id));
    if (this.snapshots.get(id) === snap) return;
    this.snapshots.set(id, snap);
    for (const l of this.changeListeners) {
      try {
        l(id);
      } catch (err) {
        this.listenerFailed(id, err);
      }
    }
  }
}

function shown(c: Capability, expected: Map<string, Expected> | undefined, faults: Map<string, boolean> | undefined): Capability {
  let out = c;
  for (const e of expected?.values() ?? []) out = applyCommand(out, e.command);
  const fault = faults?.get(c.id);
  return fault === undefined ? out : { ...out, fault: fault || out.fault === true };
}

/** A momentary switch is off at rest: a cached "on" must never come back as on (nor be re-sent). */
function atRest(device: Device): Device {
  return { ...device, capabilities: device.capabilities.map((c) => (c.kind === 'switch' && c.momentary ? { ...c, on: false } : c)) };
}
