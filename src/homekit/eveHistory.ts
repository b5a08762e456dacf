import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Characteristic, CharacteristicValue, HAP, PlatformAccessory, Service, WithUUID } from 'homebridge';
import type { HistorySample } from '../core/model';

/**
 * Eve-compatible history ("room" type: temperature, humidity, CO2 ppm; "energy" type: power in W), written from the
 * protocol as the Eve app expects it: a hidden service with four DATA characteristics. fakegato-history does the same
 * but pulls in googleapis (hundreds of MB) for an optional Google Drive store and is no longer maintained, so this is our own, small one.
 */
export const EVE_EPOCH = 978_307_200; // 2001-01-01T00:00:00Z, in Unix seconds
const UUID = (id: string) => `E863${id}-079E-48FF-8F27-9C2605A29F52`;
export type HistoryType = 'room' | 'energy';
/** Each type's signature (the fields its entries hold) and how one sample is written after entry number and time. */
const SIGNATURE: Record<HistoryType, string> = { room: '04 0102 0202 0402 0f03', energy: '04 0102 0202 0702 0f03' };
/** Eve keeps this many entries; about 28 days at one entry per 10 minutes. */
export const MEMORY_SIZE = 4032;
/** Entries sent per read of S2R2, as Eve devices do. */
const ENTRIES_PER_READ = 11;

interface Stored {
  type?: HistoryType;
  refTime: number;
  samples: Array<[number, number, number, number]>; // unix s, then temp, hum, ppm (room) or power W, 0, 0 (energy)
}

type CharacteristicClass = WithUUID<new () => Characteristic>;
interface EveTypes {
  service: WithUUID<typeof Service>;
  status: CharacteristicClass;
  entries: CharacteristicClass;
  request: CharacteristicClass;
  setTime: CharacteristicClass;
}

const typesByHap = new WeakMap<HAP, EveTypes>();

/** The Eve classes, made once per HAP instance (they must extend that instance's Characteristic and Service). */
export function eveTypes(hap: HAP): EveTypes {
  const known = typesByHap.get(hap);
  if (known) return known;
  const { Characteristic: C, Service: S, Formats, Perms } = hap;
  const make = (name: string, uuid: string, write: boolean): CharacteristicClass => {
    const cls = class extends C {
      static readonly UUID = uuid;
      constructor() {
        super(name, uuid, {
          format: Formats.DATA,
          perms: write ? [Perms.PAIRED_WRITE, Perms.HIDDEN] : [Perms.PAIRED_READ, Perms.NOTIFY, Perms.HIDDEN],
        });
      }
    };
    return cls as unknown as CharacteristicClass;
  };
  const status = make('Eve History Status', UUID('F116'), false);
  const entries = make('Eve History Entries', UUID('F117'), false);
  const request = make('Eve History Request', UUID('F11C'), true);
  const setTime = make('Eve Set Time', UUID('F121'), true);
  const serviceUuid = UUID('F007');
  const service = class extends S {
    static readonly UUID = serviceUuid;
    constructor(displayName?: string, subtype?: string) {
      super(displayName, serviceUuid, subtype);
      this.addCharacteristic(status);
      this.addCharacteristic(entries);
      this.addCharacteristic(request);
      this.addCharacteristic(setTime);
    }
  } as unknown as WithUUID<typeof Service>;
  const types = { service, status, entries, request, setTime };
  typesByHap.set(hap, types);
  return types;
}

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(Math.max(0, Math.min(0xffff, Math.round(n))));
  return b.toString('hex');
};
const i16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16LE(Math.max(-0x8000, Math.min(0x7fff, Math.round(n))));
  return b.toString('hex');
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(Math.max(0, Math.round(n)) >>> 0);
  return b.toString('hex');
};
const toBase64 = (hex: string) => Buffer.from(hex.replace(/\s/g, ''), 'hex').toString('base64');

/**
 * The history of one accessory. Entry 1 is the reference-time entry; samples follow from entry 2.
 * Persisted as JSON under the Homebridge storage dir, keyed by the accessory UUID (a rename keeps the history).
 */
export class EveHistory {
  private readonly types: EveTypes;
  private readonly service: Service;
  private readonly file: string;
  private refTime = 0; // seconds since EVE_EPOCH of the first sample
  private samples: Stored['samples'] = [];
  private cursor = 0;
  private transferring = false;

  constructor(
    hap: HAP,
    accessory: PlatformAccessory,
    storagePath: string,
    readonly type: HistoryType = 'room',
  ) {
    this.types = eveTypes(hap);
    this.service =
      accessory.getService(this.types.service) ??
      accessory.addService(this.types.service, `${accessory.displayName} History`, 'eve-history');
    const dir = join(storagePath, 'building-hub', 'history');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.file = join(dir, `${accessory.UUID}.json`);
    this.load();
    this.service.getCharacteristic(this.types.entries).onGet(() => this.readEntries());
    this.service.getCharacteristic(this.types.request).onSet((v) => this.requestFrom(v));
    this.service.getCharacteristic(this.types.setTime).onSet(() => undefined);
    this.service.getCharacteristic(this.types.status).onGet(() => this.status());
  }

  get size(): number {
    return this.samples.length;
  }

  /**
   * Adds samples in time order; a sample at a second already recorded is ignored. Older samples are merged in
   * (a seed that arrives after the first live reading is not lost).
   */
  add(samples: HistorySample[]): void {
    const known = new Set(this.samples.map((s) => s[0]));
    const fresh = samples
      .map((s): Stored['samples'][number] =>
        this.type === 'energy'
          ? [Math.floor(s.at / 1000), s.powerW ?? 0, 0, 0]
          : [Math.floor(s.at / 1000), s.temperature ?? 0, s.humidity ?? 0, s.co2 ?? 0],
      )
      .filter((s) => !known.has(s[0]) && Boolean(known.add(s[0])));
    if (fresh.length === 0) return;
    this.samples.push(...fresh);
    this.samples.sort((a, b) => a[0] - b[0]);
    this.refTime = this.samples[0][0] - EVE_EPOCH;
    if (this.samples.length > MEMORY_SIZE - 1) this.samples.splice(0, this.samples.length - (MEMORY_SIZE - 1));
    this.service.getCharacteristic(this.types.status).updateValue(this.status());
    this.save();
  }

  /** S2R1: time of the last entry, reference time, signature, used memory, memory size, first entry. */
  status(): string {
    const last = this.samples.at(-1)?.[0];
    const since = last === undefined ? 0 : last - EVE_EPOCH - this.refTime;
    const memory = `${u16(this.samples.length + 1)}${u16(MEMORY_SIZE)}${u32(1)}`;
    return toBase64(`${u32(since)}00000000${u32(this.refTime)}${SIGNATURE[this.type]}${memory}000000000101`);
  }

  private requestFrom(value: CharacteristicValue): void {
    const raw = Buffer.from(String(value), 'base64');
    const address = raw.length >= 6 ? raw.readUInt32LE(2) : 0;
    this.cursor = Math.max(1, address);
    this.transferring = true;
  }

  /** S2R2: up to 11 entries from the requested address, then "00" when all were sent. */
  private readEntries(): string {
    const lastEntry = this.samples.length + 1;
    if (!this.transferring || this.cursor > lastEntry) {
      this.transferring = false;
      return toBase64('00');
    }
    let out = '';
    for (let i = 0; i < ENTRIES_PER_READ && this.cursor <= lastEntry; i++, this.cursor++) {
      if (this.cursor === 1) {
        out += `15${u32(1)}0100000081${u32(this.refTime)}00000000000000`;
        continue;
      }
      const [t, a, b, c] = this.samples[this.cursor - 2];
      const head = `${u32(this.cursor)}${u32(t - EVE_EPOCH - this.refTime)}`;
      out +=
        this.type === 'energy' ? `14${head}1f00000000${u16(a * 10)}00000000` : `13${head}0f${i16(a * 100)}${u16(b * 100)}${u16(c)}000000`;
    }
    return toBase64(out);
  }

  private load(): void {
    try {
      const stored = JSON.parse(readFileSync(this.file, 'utf8')) as Stored;
      // A history of another type (the accessory changed) is not mixed in: a new one starts.
      if (Array.isArray(stored.samples) && typeof stored.refTime === 'number' && (stored.type ?? 'room') === this.type) {
        this.refTime = stored.refTime;
        this.samples = stored.samples;
      }
    } catch {
      // no history yet, or an unreadable file: start a new one
    }
  }

  private save(): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ type: this.type, refTime: this.refTime, samples: this.samples } satisfies Stored), {
      mode: 0o600,
    });
    renameSync(tmp, this.file);
  }
}
