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
    const wh = s.number('core:ElectricEnergyConsumptionState');
    const w = s.number('core:ElectricPowerConsumptionState');
    if (wh === undefined && w === undefined && !s.has('core:ElectricEnergyConsumptionState')) return [];
    return [
      {
        kind: 'energy',
        id: 'energy',
        name: d.label,
        ...(wh !== undefined ? { totalKWh: Math.round(wh / 10) / 100 } : { totalKWh: 0 }),
        ...(w !== undefined ? { powerW: w } : {}),
      },
    ];
  },
};
