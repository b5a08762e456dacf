import type { Device } from './model';

/**
 * The devices of one account as the vendor last reported them, plus the account's own reachability.
 * What HomeKit sees is the combination: a device is available only while the account answers and the
 * vendor says the device is online. Only devices whose visible state changed are announced.
 */
export class DeviceStore {
  private readonly vendor = new Map<string, Device>();
  private readonly snapshots = new Map<string, string>();
  private reachable = true;
  private readonly changeListeners: Array<(deviceId: string) => void> = [];

  onChange(listener: (deviceId: string) => void): void {
    this.changeListeners.push(listener);
  }

  list(): Device[] {
    return [...this.vendor.keys()].map((id) => this.get(id) as Device);
  }

  get(id: string): Device | undefined {
    const d = this.vendor.get(id);
    return d && { ...d, available: this.reachable && d.available };
  }

  /** Devices kept from the accessory cache: shown with their last values until the vendor answers. */
  restore(devices: Device[]): void {
    for (const d of devices) if (!this.vendor.has(d.id)) this.put(atRest(d), false);
  }

  /** After a successful discovery or poll. `complete` = the list is the whole account (missing ones are not deleted here: the platform decides). */
  upsert(devices: Device[]): void {
    for (const d of devices) this.put(d, true);
  }

  /** Applies a local change (optimistic write, event) to one device. */
  patch(id: string, change: (d: Device) => Device): void {
    const d = this.vendor.get(id);
    if (d) this.put(change(structuredClone(d)), true);
  }

  setReachable(reachable: boolean): void {
    if (this.reachable === reachable) return;
    this.reachable = reachable;
    for (const id of this.vendor.keys()) this.announceIfChanged(id);
  }

  private put(device: Device, announce: boolean): void {
    this.vendor.set(device.id, device);
    if (announce) this.announceIfChanged(device.id);
    else this.snapshots.set(device.id, JSON.stringify(this.get(device.id)));
  }

  private announceIfChanged(id: string): void {
    const snap = JSON.stringify(this.get(id));
    if (this.snapshots.get(id) === snap) return;
    this.snapshots.set(id, snap);
    for (const l of this.changeListeners) l(id);
  }
}

/** A momentary switch is off at rest: a cached "on" must never come back as on (nor be re-sent). */
function atRest(device: Device): Device {
  return { ...device, capabilities: device.capabilities.map((c) => (c.kind === 'switch' && c.momentary ? { ...c, on: false } : c)) };
}
