import { clampInt, cmd, type Family } from './common';

/** Air-demand modes by speed, from the lowest; "auto" lets the unit follow its own sensors and schedule. */
const MANUAL = ['away', 'high', 'boost'] as const;

/**
 * Atlantic heat-recovery ventilation as a fan (it never stops): off = "away" (minimum airflow), on = "auto"; the speed
 * slider picks away (1-33 %), high (34-66 %) or boost (67-100 %); auto/manual = "auto" or "high". In auto the speed
 * shows the unit's own air demand (`core:AirDemandState`, %).
 */
export const heatRecoveryVentilation: Family = {
  name: 'heat-recovery ventilation',
  widgets: ['AtlanticHeatRecoveryVentilation'],
  capabilities(s, d) {
    if (!s.can('setAirDemandMode')) return [];
    const mode = s.string('io:AirDemandModeState');
    const manual = MANUAL.indexOf(mode as (typeof MANUAL)[number]);
    const demand = s.number('core:AirDemandState');
    const speed =
      manual >= 0 ? Math.round(((manual + 1) / MANUAL.length) * 100) : demand !== undefined ? clampInt(demand, 0, 100) : undefined;
    return [
      {
        kind: 'fan',
        id: 'ventilation',
        name: d.label,
        on: mode !== undefined && mode !== 'away',
        ...(speed !== undefined ? { speed } : {}),
        auto: mode === 'auto',
      },
    ];
  },
  command(s, c) {
    if (!s.can('setAirDemandMode')) return [];
    if (c.type === 'setOn') return [cmd('setAirDemandMode', c.on ? 'auto' : 'away')];
    if (c.type === 'setFanAuto') return [cmd('setAirDemandMode', c.auto ? 'auto' : 'high')];
    if (c.type !== 'setFanSpeed') return [];
    const i = Math.min(MANUAL.length - 1, Math.max(0, Math.ceil((c.speed / 100) * MANUAL.length) - 1));
    return [cmd('setAirDemandMode', MANUAL[i])];
  },
};
