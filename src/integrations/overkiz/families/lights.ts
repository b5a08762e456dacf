import { clampInt, cmd, type Family } from './common';

export const lights: Family = {
  name: 'light',
  uiClasses: ['Light'],
  capabilities(s, d) {
    const intensity = s.number('core:LightIntensityState');
    const dimmable = s.can('setIntensity') && intensity !== undefined;
    return [
      {
        kind: 'light',
        id: 'light',
        name: d.label,
        on: s.string('core:OnOffState') === 'on',
        ...(dimmable ? { brightness: clampInt(intensity ?? 0, 0, 100) } : {}),
      },
    ];
  },
  command(s, c) {
    if (c.type === 'setOn') return [cmd(c.on ? 'on' : 'off')];
    if (c.type === 'setBrightness') return s.can('setIntensity') ? [cmd('setIntensity', clampInt(c.brightness, 0, 100))] : [];
    return [];
  },
};
