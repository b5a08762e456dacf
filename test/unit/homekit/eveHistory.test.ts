import * as hap from 'hap-nodejs';
import { statSync } from 'node:fs';
import { join } from 'node:path';

import type { HAP, PlatformAccessory } from 'homebridge';
import type { Device } from '../../../src/core/model';
import { AccessoryBinder, type HubAccessory } from '../../../src/homekit/accessoryBinder';
import { EVE_EPOCH, EveHistory, eveTypes, MEMORY_SIZE } from '../../../src/homekit/eveHistory';
import { CapturedLog } from '../../helpers/logs';
import { FakePlatformAccessory } from '../../helpers/fakeHomebridge';
import { decodeEntries, decodeStatus } from '../../helpers/eveDecode';
import { tempDir } from '../../helpers/tempDir';

const H = hap as unknown as HAP;
const T0 = Date.parse('2026-11-22T09:00:00Z');

function setup(storage = tempDir('eve'), uuid = hap.uuid.generate('eve-test')) {
  const accessory = new FakePlatformAccessory('Server room', uuid);
  const history = new EveHistory(H, accessory as unknown as PlatformAccessory, storage);
  const types = eveTypes(H);
  const service = accessory.getService(types.service)!;
  return { accessory, history, storage, uuid, service, types };
}

async function readAll(service: hap.Service, types: ReturnType<typeof eveTypes>, from = 1) {
  const address = Buffer.alloc(6);
  address.writeUInt32LE(from, 2);
  await service.getCharacteristic(types.request).handleSetRequest(address.toString('base64'));
  const entries = [];
  for (let i = 0; i < 1000; i++) {
    const chunk = decodeEntries((await service.getCharacteristic(types.entries).handleGetRequest()) as string);
    if (chunk.length === 0) break;
    entries.push(...chunk);
  }
  return entries;
}

describe('Eve history (room type)', () => {
  it('exposes the hidden history service and an empty status', async () => {
    const { service, types } = setup();
    expect(service.UUID).toBe('E863F007-079E-48FF-8F27-9C2605A29F52');
    const status = decodeStatus((await service.getCharacteristic(types.status).handleGetRequest()) as string);
    expect(status).toMatchObject({ signature: '040102020204020f03', usedMemory: 1, memorySize: MEMORY_SIZE, firstEntry: 1 });
  });

  it('serves seeded samples back in order, 11 per read, after a reference entry', async () => {
    const { history, service, types } = setup();
    const samples = Array.from({ length: 30 }, (_, i) => ({
      at: T0 + i * 600_000,
      temperature: 20 + i / 10,
      humidity: 40 + i,
      co2: 600 + i,
    }));
    history.add(samples);
    const status = decodeStatus((await service.getCharacteristic(types.status).handleGetRequest()) as string);
    expect(status.usedMemory).toBe(31);
    expect(status.refTime).toBe(T0 / 1000 - EVE_EPOCH);
    expect(status.lastEntrySeconds).toBe(29 * 600);
    const entries = await readAll(service, types);
    expect(entries).toHaveLength(31);
    expect(entries[0]).toEqual({ index: 1, kind: 'reference', refTime: T0 / 1000 - EVE_EPOCH });
    expect(entries[1]).toMatchObject({ index: 2, seconds: 0, temperature: 20, humidity: 40, ppm: 600 });
    expect(entries[30]).toMatchObject({ index: 31, seconds: 29 * 600, temperature: 22.9, humidity: 69, ppm: 629 });
    // Eve asks again from where it stopped
    expect((await readAll(service, types, 25)).map((e) => e.index)).toEqual([25, 26, 27, 28, 29, 30, 31]);
  });

  it('merges older samples in order, ignores repeated seconds, keeps the memory size, and survives a restart', async () => {
    const first = setup();
    first.history.add([{ at: T0, temperature: 19 }]);
    first.history.add([
      { at: T0, temperature: 25 },
      { at: T0 - 60_000, temperature: 18 },
    ]);
    expect(first.history.size).toBe(2);
    expect((await readAll(first.service, first.types)).slice(1).map((e) => e.temperature)).toEqual([18, 19]);
    first.history.add(Array.from({ length: MEMORY_SIZE + 10 }, (_, i) => ({ at: T0 + (i + 1) * 60_000, temperature: 20 })));
    expect(first.history.size).toBe(MEMORY_SIZE - 1);
    const again = setup(first.storage, first.uuid);
    expect(again.history.size).toBe(MEMORY_SIZE - 1);
    // owner-only, like every file the plugin writes
    expect(statSync(join(first.storage, 'building-hub', 'history', `${first.uuid}.json`)).mode & 0o777).toBe(0o600);
  });

  it('a negative temperature survives the encoding', async () => {
    const { history, service, types } = setup();
    history.add([{ at: T0, temperature: -7.25 }]);
    expect((await readAll(service, types))[1].temperature).toBe(-7.25);
  });
});

describe('Eve history (energy type)', () => {
  it('an accessory with an energy meter keeps its power in an energy history, one entry per 10 minutes', async () => {
    const storage = tempDir('eve-energy');
    const accessory = new FakePlatformAccessory('Water heater', hap.uuid.generate('eve-energy'));
    const device: Device = {
      id: 'dhw',
      name: 'Water heater',
      manufacturer: 'Atlantic',
      model: 'Hot water',
      serial: 'dhw',
      available: true,
      capabilities: [{ kind: 'energy', id: 'energy', name: 'Energy', totalKWh: 1779.1, powerW: 1200 }],
    };
    let now = T0;
    const binder = new AccessoryBinder(
      accessory as unknown as HubAccessory,
      device,
      H,
      new CapturedLog(),
      async () => undefined,
      storage,
      () => now,
    );
    binder.update(device);
    now += 5 * 60_000;
    binder.update({ ...device, capabilities: [{ kind: 'energy', id: 'energy', name: 'Energy', totalKWh: 1779.2, powerW: 0 }] });
    now += 6 * 60_000;
    binder.update({ ...device, capabilities: [{ kind: 'energy', id: 'energy', name: 'Energy', totalKWh: 1779.3, powerW: 850.5 }] });
    const types = eveTypes(H);
    const service = accessory.getService(types.service)!;
    const status = decodeStatus((await service.getCharacteristic(types.status).handleGetRequest()) as string);
    expect(status.signature).toBe('040102020207020f03');
    const entries = await readAll(service, types);
    expect(entries.slice(1)).toEqual([
      { index: 2, kind: 'energy', seconds: 0, powerW: 1200 },
      { index: 3, kind: 'energy', seconds: 11 * 60, powerW: 850.5 },
    ]);
  });

  it('a meter without a power reading gets its mean power between two entries', async () => {
    const accessory = new FakePlatformAccessory('Meter', hap.uuid.generate('eve-meter'));
    const meter = (kWh: number): Device => ({
      id: 'm',
      name: 'Meter',
      manufacturer: 'Atlantic',
      model: 'Meter',
      serial: 'm',
      available: true,
      capabilities: [{ kind: 'energy', id: 'energy', name: 'Energy', totalKWh: kWh }],
    });
    let now = T0;
    const binder = new AccessoryBinder(
      accessory as unknown as HubAccessory,
      meter(100),
      H,
      new CapturedLog(),
      async () => undefined,
      tempDir('eve-m'),
      () => now,
    );
    binder.update(meter(100));
    now += 30 * 60_000;
    binder.update(meter(100.75)); // 0.75 kWh in half an hour = 1500 W
    const types = eveTypes(H);
    const entries = await readAll(accessory.getService(types.service)!, types);
    expect(entries.slice(1)).toEqual([{ index: 2, kind: 'energy', seconds: 0, powerW: 1500 }]);
  });
});
