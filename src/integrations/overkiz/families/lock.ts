import { cmd, type Family } from './common';

export const doorLocks: Family = {
  name: 'door lock',
  uiClasses: ['DoorLock'],
  capabilities(s, d) {
    const state = s.string('core:LockedUnlockedState');
    const current = state === 'locked' ? 'secured' : state === 'unlocked' ? 'unsecured' : 'unknown';
    return [{ kind: 'lock', id: 'lock', name: d.label, current, target: current === 'unsecured' ? 'unsecured' : 'secured' }];
  },
  command: (_s, c) => (c.type === 'setLock' ? [cmd(c.target === 'secured' ? 'lock' : 'unlock')] : []),
};
