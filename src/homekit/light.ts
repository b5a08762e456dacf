import { clamp, type Mapper } from './spec';

export const lightMapper: Mapper<'light'> = (hap, cap) => [
  {
    type: hap.Service.Lightbulb,
    chars: [
      { type: hap.Characteristic.On, get: (c) => c.on, set: (v) => ({ type: 'setOn', on: Boolean(v) }) },
      ...(cap.brightness === undefined
        ? []
        : [
            {
              type: hap.Characteristic.Brightness,
              get: (c: typeof cap) => (c.brightness === undefined ? undefined : clamp(Math.round(c.brightness), 0, 100)),
              set: (v: unknown) => ({ type: 'setBrightness' as const, brightness: Number(v) }),
            },
          ]),
    ],
  },
];
