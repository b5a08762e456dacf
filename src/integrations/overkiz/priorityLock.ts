import type { OverkizDevice } from './schemas';
import { StateReader } from './states';

/** Locks set for people's or the building's safety (wind, rain, fire, security): never overridden from Home. */
const PROTECTION = new Set(['humanProtection', 'environmentProtection']);

export type LockVerdict = { locked: false } | { locked: true; overridable: boolean; why: string };

/**
 * An io device under a priority lock (`io:PriorityLockLevelState` reported, or `core:PriorityLockTimerState` > 0)
 * refuses ordinary commands. A protection lock (wind, rain...) refuses every write from Home with a clear reason; a
 * user or comfort lock is overridden through /exec/apply/highPriority, as a user at the device would.
 */
export function priorityLock(d: OverkizDevice): LockVerdict {
  const s = new StateReader(d);
  const level = s.string('io:PriorityLockLevelState');
  const timer = s.number('core:PriorityLockTimerState') ?? 0;
  if (level === undefined && timer <= 0) return { locked: false };
  const origin = s.string('io:PriorityLockOriginatorState');
  const detail = `${level ? ` ${level}` : ''}${timer > 0 ? `, ${timer} s left` : ''}`;
  const why = `locked by ${origin ?? 'another controller'} (priority lock${detail})`;
  return { locked: true, overridable: level === undefined || !PROTECTION.has(level), why };
}
