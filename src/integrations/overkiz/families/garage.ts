import type { DoorState } from '../../../core/model';
import type { StateReader } from '../states';
import { cmd, type Family } from './common';

function doorState(s: StateReader): DoorState {
  const closure = s.number('core:ClosureState');
  if (closure !== undefined) return closure >= 100 ? 'closed' : closure <= 0 ? 'open' : 'stopped';
  const oc = s.string('core:OpenClosedUnknownState') ?? s.string('core:OpenClosedPedestrianState') ?? s.string('core:OpenClosedState');
  return oc === 'closed' ? 'closed' : oc === 'open' || oc === 'pedestrian' ? 'open' : 'stopped';
}

export const garageDoors: Family = {
  name: 'garage door / gate',
  uiClasses: ['GarageDoor', 'Gate'],
  capabilities(s, d) {
    const current = doorState(s);
    return [{ kind: 'garageDoor', id: 'door', name: d.label, current, target: current === 'closed' ? 'closed' : 'open' }];
  },
  command(s, c) {
    if (c.type !== 'setDoor') return [];
    const name = c.target === 'open' ? 'open' : 'close';
    if (s.can(name)) return [cmd(name)];
    if (s.can('setClosure')) return [cmd('setClosure', c.target === 'open' ? 0 : 100)];
    return [];
  },
};
