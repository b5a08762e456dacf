import { cmd, type Family } from './common';

/**
 * Atlantic heat-recovery ventilation as a switch: on = boost (air demand "boost"), off = back to "auto". Its other
 * air-demand modes (away, high) show as off.
 */
export const heatRecoveryVentilation: Family = {
  name: 'heat-recovery ventilation',
  widgets: ['AtlanticHeatRecoveryVentilation'],
  capabilities(s, d) {
    if (!s.can('setAirDemandMode')) return [];
    return [{ kind: 'switch', id: 'boost', name: `${d.label} boost`, on: s.string('io:AirDemandModeState') === 'boost' }];
  },
  command: (s, c) => (c.type === 'setOn' && s.can('setAirDemandMode') ? [cmd('setAirDemandMode', c.on ? 'boost' : 'auto')] : []),
};
