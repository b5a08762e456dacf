import type { SecurityArm, SecuritySystemCapability } from '../../../core/model';
import type { OverkizCommand, OverkizDevice } from '../schemas';
import type { StateReader } from '../states';
import { cmd, type Family, type MapOptions } from './common';

const ARMS: SecurityArm[] = ['stay', 'away', 'night', 'disarmed'];

function security(d: OverkizDevice, opts: MapOptions, current: SecurityArm | 'triggered', target: SecurityArm): SecuritySystemCapability {
  const targets = opts.alarmDisarmFromHome === false ? ARMS.filter((a) => a !== 'disarmed') : ARMS;
  return { kind: 'securitySystem', id: 'alarm', name: d.label, current, target, targets };
}

/** TSK zones: total = away, partial 1 = stay, partial 2 = night. */
const TSK_MODE: Record<SecurityArm, string> = { away: 'total', stay: 'partial1', night: 'partial2', disarmed: 'off' };
const TSK_COMMAND: Record<SecurityArm, string> = { away: 'alarmOn', stay: 'alarmPartial1', night: 'alarmPartial2', disarmed: 'alarmOff' };
const armOfTsk = (mode: string | undefined): SecurityArm =>
  (Object.entries(TSK_MODE).find(([, m]) => m === mode)?.[0] as SecurityArm | undefined) ?? 'disarmed';

export const tskAlarm: Family = {
  name: 'TSK alarm',
  widgets: ['TSKAlarmController'],
  capabilities(s, d, opts) {
    const intrusion = s.string('internal:IntrusionDetectedState');
    const current = armOfTsk(s.string('internal:CurrentAlarmModeState'));
    const target = armOfTsk(s.string('internal:TargetAlarmModeState') ?? s.string('internal:CurrentAlarmModeState'));
    const triggered = intrusion === 'detected' || intrusion === 'sos';
    return [security(d, opts, triggered ? 'triggered' : current, target)];
  },
  command(s, c) {
    if (c.type !== 'setSecurity') return [];
    if (s.can('setTargetAlarmMode')) return [cmd('setTargetAlarmMode', TSK_MODE[c.target])];
    return s.can(TSK_COMMAND[c.target]) ? [cmd(TSK_COMMAND[c.target])] : [];
  },
};

const MYFOX_ARM: Record<string, SecurityArm> = { armed: 'away', partial: 'stay', disarmed: 'disarmed' };

/** Somfy Protect / MyFox: armed = away, partial = stay (and night), disarmed. */
export const myFoxAlarm: Family = {
  name: 'MyFox alarm',
  widgets: ['MyFoxAlarmController'],
  capabilities(s, d, opts) {
    const arm = MYFOX_ARM[s.string('myfox:AlarmStatusState') ?? ''] ?? 'disarmed';
    const triggered = s.string('core:IntrusionState') === 'detected';
    return [security(d, opts, triggered ? 'triggered' : arm, arm)];
  },
  command(s, c) {
    if (c.type !== 'setSecurity') return [];
    const name = c.target === 'away' ? 'arm' : c.target === 'disarmed' ? 'disarm' : 'partial';
    return s.can(name) ? [cmd(name)] : [];
  },
};

/** Zone alarms (io stateful, RTD stateless): zones A = stay, A,B = night, all = away. */
function zoneCommand(s: StateReader, target: SecurityArm): OverkizCommand[] {
  if (target === 'disarmed') return s.can('alarmOff') ? [cmd('alarmOff')] : s.can('disarm') ? [cmd('disarm')] : [];
  if (target === 'away') return s.can('alarmOn') ? [cmd('alarmOn')] : s.can('arm') ? [cmd('arm')] : [];
  return s.can('alarmZoneOn') ? [cmd('alarmZoneOn', target === 'stay' ? 'A' : 'A,B')] : [];
}

function armOfZones(zones: string | undefined): SecurityArm {
  const list = (zones ?? '')
    .split(',')
    .map((z) => z.trim())
    .filter(Boolean);
  if (list.length === 0) return 'disarmed';
  if (list.length === 1 && list[0] === 'A') return 'stay';
  if (list.length === 2 && list.includes('A') && list.includes('B')) return 'night';
  return 'away';
}

export const zoneAlarm: Family = {
  name: 'zone alarm (stateful)',
  widgets: ['StatefulAlarmController'],
  capabilities(s, d, opts) {
    const arm = armOfZones(s.string('core:ActiveZonesState'));
    const triggered = s.string('core:IntrusionState') === 'detected';
    return [security(d, opts, triggered ? 'triggered' : arm, arm)];
  },
  command: (s, c) => (c.type === 'setSecurity' ? zoneCommand(s, c.target) : []),
};

/** A stateless alarm reports nothing: it shows what was last asked from Home (disarmed until then). */
export const statelessAlarm: Family = {
  name: 'zone alarm (stateless)',
  widgets: ['StatelessAlarmController'],
  capabilities(_s, d, opts) {
    const arm = opts.assumedAlarms?.get(d.deviceURL) ?? 'disarmed';
    return [security(d, opts, arm, arm)];
  },
  command: (s, c) => (c.type === 'setSecurity' ? zoneCommand(s, c.target) : []),
};
