import type { Command } from '../../../core/model';
import type { OverkizCommand } from '../schemas';
import type { StateReader } from '../states';
import { clampInt, cmd, type Family } from './common';

/** Overkiz colour temperature is in kelvin (core:ColorTemperatureState 2000 on a warm Hue bulb); HomeKit's in mireds. */
export const miredsOf = (kelvin: number) => clampInt(1_000_000 / kelvin, 140, 500);
export const kelvinOf = (mireds: number) => Math.round(1_000_000 / clampInt(mireds, 140, 500));

const hasColour = (s: StateReader) => s.can('setHueAndSaturation') && s.has('core:ColorHueState');
const hasWhite = (s: StateReader) => s.can('setColorTemperature') && s.has('core:ColorTemperatureState');

export const lights: Family = {
  name: 'light',
  uiClasses: ['Light'],
  capabilities(s, d) {
    const intensity = s.number('core:LightIntensityState');
    const dimmable = s.can('setIntensity') && intensity !== undefined;
    const kelvin = s.number('core:ColorTemperatureState');
    return [
      {
        kind: 'light',
        id: 'light',
        name: d.label,
        on: s.string('core:OnOffState') === 'on',
        ...(dimmable ? { brightness: clampInt(intensity ?? 0, 0, 100) } : {}),
        ...(hasColour(s) ? { hue: s.number('core:ColorHueState') ?? 0, saturation: s.number('core:ColorSaturationState') ?? 0 } : {}),
        ...(hasWhite(s) && kelvin ? { colorTemperature: miredsOf(kelvin) } : {}),
      },
    ];
  },
  command(s, c) {
    if (c.type === 'setOn') return [cmd(c.on ? 'on' : 'off')];
    if (c.type === 'setBrightness') return s.can('setIntensity') ? [cmd('setIntensity', clampInt(c.brightness, 0, 100))] : [];
    if (c.type === 'setHue' || c.type === 'setSaturation') return hasColour(s) ? [colour(s, [c])] : [];
    if (c.type === 'setColorTemperature') return hasWhite(s) ? [cmd('setColorTemperature', kelvinOf(c.mireds))] : [];
    return [];
  },
};

/** Hue and saturation asked together (a colour picked in Home is two writes) go out as one setHueAndSaturation. */
export function colour(s: StateReader, commands: readonly Command[]): OverkizCommand {
  const hue = commands.find((c) => c.type === 'setHue');
  const sat = commands.find((c) => c.type === 'setSaturation');
  return cmd(
    'setHueAndSaturation',
    clampInt(hue?.type === 'setHue' ? hue.hue : (s.number('core:ColorHueState') ?? 0), 0, 360),
    clampInt(sat?.type === 'setSaturation' ? sat.saturation : (s.number('core:ColorSaturationState') ?? 0), 0, 100),
  );
}
