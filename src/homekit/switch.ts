import type { Mapper } from './spec';

export const switchMapper: Mapper<'switch' | 'outlet'> = (hap, cap) => [
  {
    type: cap.kind === 'outlet' ? hap.Service.Outlet : hap.Service.Switch,
    chars: [{ type: hap.Characteristic.On, get: (c) => c.on, set: (v) => ({ type: 'setOn', on: Boolean(v) }) }],
  },
];
