import type { LightCapability } from '../core/model';
import { type CharSpec, clamp, type Mapper } from './spec';

type LightChar = CharSpec<LightCapability>;

/** A characteristic only for lights that offer it (a colour light has hue; a white one does not). */
function optional(cap: LightCapability, key: 'brightness' | 'hue' | 'saturation' | 'colorTemperature', spec: LightChar): LightChar[] {
  return cap[key] === undefined ? [] : [spec];
}

export const lightMapper: Mapper<'light'> = (hap, cap) => {
  const C = hap.Characteristic;
  return [
    {
      type: hap.Service.Lightbulb,
      chars: [
        { type: C.On, get: (c) => c.on, set: (v) => ({ type: 'setOn', on: Boolean(v) }) },
        ...optional(cap, 'brightness', {
          type: C.Brightness,
          get: (c) => (c.brightness === undefined ? undefined : clamp(Math.round(c.brightness), 0, 100)),
          set: (v) => ({ type: 'setBrightness', brightness: Number(v) }),
        }),
        ...optional(cap, 'hue', {
          type: C.Hue,
          get: (c) => (c.hue === undefined ? undefined : clamp(c.hue, 0, 360)),
          set: (v) => ({ type: 'setHue', hue: Number(v) }),
        }),
        ...optional(cap, 'saturation', {
          type: C.Saturation,
          get: (c) => (c.saturation === undefined ? undefined : clamp(c.saturation, 0, 100)),
          set: (v) => ({ type: 'setSaturation', saturation: Number(v) }),
        }),
        ...optional(cap, 'colorTemperature', {
          type: C.ColorTemperature,
          get: (c) => (c.colorTemperature === undefined ? undefined : clamp(Math.round(c.colorTemperature), 140, 500)),
          set: (v) => ({ type: 'setColorTemperature', mireds: Number(v) }),
        }),
      ],
    },
  ];
};
