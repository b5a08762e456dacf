import { DeviceStore } from '../../../src/core/deviceStore';
import { RateLimitError } from '../../../src/core/errors';
import type { Command, Device } from '../../../src/core/model';
import { type DeviceWrites, WriteBatcher } from '../../../src/core/writeBatcher';
import { ManualClock } from '../../helpers/manualClock';

function batcher(send: (b: DeviceWrites[]) => Promise<Map<string, Error> | void> = async () => undefined) {
  const clock = new ManualClock();
  const batches: DeviceWrites[][] = [];
  const verdicts: Array<{ deviceId: string; error?: string }> = [];
  const b = new WriteBatcher({
    windowMs: 150,
    maxWaitMs: 1000,
    clock,
    signal: () => new AbortController().signal,
    send: async (batch) => {
      batches.push(batch);
      return send(batch);
    },
    settled: (w, error) => verdicts.push({ deviceId: w.deviceId, error: error?.message }),
  });
  return { clock, b, batches, verdicts };
}

const pos = (position: number): Command => ({ capabilityId: 'cover', type: 'setPosition', position });
const tilt = (t: number): Command => ({ capabilityId: 'cover', type: 'setTilt', tilt: t });

describe('WriteBatcher', () => {
  it('merges different aspects of one device in asked order; the last value of one aspect wins', async () => {
    const { clock, b, batches } = batcher();
    b.push('blind', pos(40));
    b.push('heater', { capabilityId: 't', type: 'setMode', mode: 'heat' });
    b.push('blind', tilt(0));
    b.push('heater', { capabilityId: 't', type: 'setTargetTemperature', temperature: 21 });
    b.push('blind', pos(60));
    await clock.advance(200);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toEqual([
      { deviceId: 'blind', commands: [pos(60), tilt(0)] },
      {
        deviceId: 'heater',
        commands: [
          { capabilityId: 't', type: 'setMode', mode: 'heat' },
          { capabilityId: 't', type: 'setTargetTemperature', temperature: 21 },
        ],
      },
    ]);
  });

  it('the window restarts with each write, up to the maximum wait; a slider drag ends in one or two batches', async () => {
    const { clock, b, batches } = batcher();
    for (let i = 0; i < 10; i++) {
      b.push('blind', pos(i * 10));
      await clock.advance(100);
    }
    await clock.advance(500);
    expect(batches.length).toBeGreaterThanOrEqual(1);
    expect(batches.length).toBeLessThanOrEqual(2);
    expect(batches.at(-1)![0].commands).toEqual([pos(90)]);
  });

  it('a send that throws fails every device; a returned map fails only the devices it names', async () => {
    const all = batcher(async () => {
      throw new RateLimitError('busy');
    });
    all.b.push('a', pos(1));
    all.b.push('b', pos(2));
    await all.clock.advance(200);
    expect(all.verdicts).toEqual([
      { deviceId: 'a', error: 'busy' },
      { deviceId: 'b', error: 'busy' },
    ]);
    const some = batcher(async () => new Map([['b', new Error('refused')]]));
    some.b.push('a', pos(1));
    some.b.push('b', pos(2));
    await some.clock.advance(200);
    expect(some.verdicts).toEqual([
      { deviceId: 'a', error: undefined },
      { deviceId: 'b', error: 'refused' },
    ]);
  });
});

describe('DeviceStore: writes shown as asked, then the verdict', () => {
  const cover = (current: number): Device => ({
    id: 'd',
    name: 'Blind',
    manufacturer: 'x',
    model: 'x',
    serial: 'x',
    available: true,
    capabilities: [
      { kind: 'cover', id: 'cover', name: 'Blind', currentPosition: current, targetPosition: current, positionState: 'stopped' },
    ],
  });
  const target = (s: DeviceStore) => (s.get('d')!.capabilities[0] as { targetPosition: number }).targetPosition;

  it('pending: the asked value; refused: the reported value and a fault; accepted: the next report wins', () => {
    const s = new DeviceStore();
    s.upsert([cover(20)]);
    const w = pos(80);
    s.expect('d', w);
    expect(target(s)).toBe(80);
    s.upsert([cover(25)]);
    expect(target(s)).toBe(80);
    s.settle('d', [w], false);
    expect(target(s)).toBe(25);
    expect(s.get('d')!.capabilities[0].fault).toBe(true);
    const again = pos(90);
    s.expect('d', again);
    s.settle('d', [again], true);
    expect(target(s)).toBe(90);
    expect(s.get('d')!.capabilities[0].fault).toBe(false);
    s.upsert([cover(30)]);
    expect(target(s)).toBe(30);
  });

  it('a newer write to the same aspect keeps showing when the older one is refused', () => {
    const s = new DeviceStore();
    s.upsert([cover(20)]);
    const older = pos(50);
    const newer = pos(70);
    s.expect('d', older);
    s.expect('d', newer);
    s.settle('d', [older], false);
    expect(target(s)).toBe(70);
  });

  it('a listener that throws never reaches the caller, and the other listeners still run', () => {
    const s = new DeviceStore();
    const seen: string[] = [];
    const failures: string[] = [];
    s.listenerFailed = (id) => failures.push(id);
    s.onChange(() => {
      throw new Error('glue');
    });
    s.onChange((id) => seen.push(id));
    expect(() => s.upsert([cover(20)])).not.toThrow();
    expect(seen).toEqual(['d']);
    expect(failures).toEqual(['d']);
  });

  it('forget drops everything; routes mark only the devices that depend on them', () => {
    const s = new DeviceStore((d) => (d.id === 'd' ? ['status'] : []));
    s.upsert([cover(20), { ...cover(20), id: 'e' }]);
    s.setReachable(false, 'status');
    expect(s.get('d')!.available).toBe(false);
    expect(s.get('e')!.available).toBe(true);
    s.forget('d');
    expect(s.get('d')).toBeUndefined();
    expect(s.list().map((d) => d.id)).toEqual(['e']);
  });
});
