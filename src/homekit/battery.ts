import { clamp, type Mapper } from './spec';

export const batteryMapper: Mapper<'battery'> = (hap, cap) => {
  const C = hap.Characteristic;
  return [
    {
      type: hap.Service.Battery,
      chars: [
        ...(cap.level === undefined
          ? []
          : [{ type: C.BatteryLevel, get: (c: typeof cap) => (c.level === undefined ? undefined : clamp(Math.round(c.level), 0, 100)) }]),
        { type: C.StatusLowBattery, get: (c) => (c.low ? C.StatusLowBattery.BATTERY_LEVEL_LOW : C.StatusLowBattery.BATTERY_LEVEL_NORMAL) },
        ...(cap.charging === undefined
          ? []
          : [{ type: C.ChargingState, get: (c: typeof cap) => (c.charging ? C.ChargingState.CHARGING : C.ChargingState.NOT_CHARGING) }]),
      ],
    },
  ];
};
