import type { SecurityArm, SecuritySystemCapability } from '../../../core/model';
import type { OverkizCommand, OverkizDevice } from '../schemas';
import type { StateReader } from '../states';
import { cmd, type Family, type MapOptions } from './common';

const ARMS: SecurityArm[] = ['stay', 'away', 'night', 'disarmed'];

function security(d: OverkizDevice, opts: MapOptions, current: SecurityArm | 'triggered', target: SecurityArm): SecuritySystemCapability {
  const targets = opts.alarmDisarmFromHome === false ? ARMS.filter((a) => a !== 'disarmed') : ARMS;
  return { kind: 'securitySystem', id: 'alarm', name: d.label, current, target, targets };
}

/** TSK modes: by default total = away, partial 1 = stay, partial 2 = night (the `tskModes` option changes it). */
const TSK_DEFAULT = { away: 'total', stay: 'partial1', night: 'partial2' };
const TSK_COMMAND: Record<string, string> = { total: 'alarmOn', partial1: 'alarmPartial1', partial2: 'alarmPartial2', off: 'alarmOff' };
const tskModes = (opts: MapOptions): Record<SecurityArm, string> => ({ ...TSK_DEFAULT, ...opts.tskModes, disarmed: 'off' });
const armOfTsk = (mode: string | undefined, opts: MapOptions): SecurityArm =>
  (Object.entries(tskModes(opts)).find(([, m]) => m === mode)?.[0] as SecurityArm | undefined) ??
  (mode && mode !== 'off' ? 'away' : 'disarmed');

export const tskAlarm: Family = {
  name: 'TSK alarm',
  widgets: ['TSKAlarmController'],
  capabilities(s, d, opts) {
    const intrusion = s.string('internal:IntrusionDetectedState');
    const current = armOfTsk(s.string('internal:CurrentAlarmModeState'), opts);
    const target = armOfTsk(s.string('internal:TargetAlarmModeState') ?? s.string('internal:CurrentAlarmModeState'), opts);
    const triggered = intrusion === 'detected' || intrusion === 'sos';
    return [security(d, opts, triggered ? 'triggered' : current, target)];
  },
  command(s, c, _d, opts) {
    if (c.type !== 'setSecurity') return [];
    const mode = tskModes(opts)[c.target];
    if (s.can('setTargetAlarmMode')) return [cmd('setTargetAlarmMode', mode)];
    const name = TSK_COMMAND[mode];
    return name && s.can(name) ? [cmd(name)] : [];
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
