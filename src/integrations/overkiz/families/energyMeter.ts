import type { Family } from './common';

/**
 * Electricity meters: `core:ElectricEnergyConsumptionState` is cumulative Wh (1 779 095 on a real hot-water tank,
 * i.e. 1 779 kWh), `core:ElectricPowerConsumptionState` power now in W. Shown with Eve's energy characteristics,
 * on the appliance they belong to (see grouping.ts) or on their own.
 */
export const energyMeter: Family = {
  name: 'energy meter',
  uiClasses: ['ElectricitySensor'],
  capabilities(s, d) {
    const rawWh = s.number('core:ElectricEnergyConsumptionState');
    const rawW = s.number('core:ElectricPowerConsumptionState');
    if (rawWh === undefined && rawW === undefined && !s.has('core:ElectricEnergyConsumptionState')) return [];
    // A reading below zero or beyond any meter (10^8 kWh, 10^8 W) is not a reading: no value (Home keeps the last
    // one) and a fault.
    const plausible = (v: number | undefined) => (v !== undefined && v >= 0 && v <= 1e11 ? v : undefined);
    const wh = plausible(rawWh);
    const w = plausible(rawW) !== undefined && (rawW ?? 0) <= 1e8 ? rawW : undefined;
    const bad = (rawWh !== undefined && wh === undefined) || (rawW !== undefined && w === undefined);
    return [
      {
        kind: 'energy',
        id: 'energy',
        name: d.label,
        ...(wh !== undefined ? { totalKWh: Math.round(wh / 10) / 100 } : rawWh === undefined ? { totalKWh: 0 } : {}),
        ...(w !== undefined ? { powerW: w } : {}),
        ...(bad ? { fault: true } : {}),
      },
    ];
  },
};
