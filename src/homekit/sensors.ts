import type { CharacteristicValue, HAP } from 'homebridge';
import type { SensorCapability, SensorType } from '../core/model';
import { clamp, type CharacteristicType, type Mapper, type ServiceType } from './spec';

interface SensorEntry {
  service: ServiceType;
  char: CharacteristicType;
  toHomeKit: (value: number | boolean) => CharacteristicValue;
  /** A second characteristic some services need (AirQuality shows the ppm of CO2 sensors, for instance). */
  extra?: { char: CharacteristicType; toHomeKit: (value: number | boolean) => CharacteristicValue };
}

const num = (v: number | boolean) => (typeof v === 'boolean' ? Number(v) : v);

/** One row per sensor type: service, main characteristic, conversion from the model's unit. */
export function sensorTable(hap: HAP): Record<SensorType, SensorEntry> {
  const S = hap.Service;
  const C = hap.Characteristic;
  const flag = (on: number, off: number) => (v: number | boolean) => (v ? on : off);
  return {
    temperature: { service: S.TemperatureSensor, char: C.CurrentTemperature, toHomeKit: (v) => clamp(num(v), -270, 100) },
    humidity: { service: S.HumiditySensor, char: C.CurrentRelativeHumidity, toHomeKit: (v) => clamp(num(v), 0, 100) },
    co2: {
      service: S.CarbonDioxideSensor,
      char: C.CarbonDioxideDetected,
      // 1000 ppm is the usual indoor "ventilate now" threshold (EN 16798-1 category III).
      toHomeKit: (v) => (num(v) >= 1000 ? C.CarbonDioxideDetected.CO2_LEVELS_ABNORMAL : C.CarbonDioxideDetected.CO2_LEVELS_NORMAL),
      extra: { char: C.CarbonDioxideLevel, toHomeKit: (v) => clamp(num(v), 0, 100000) },
    },
    airQuality: { service: S.AirQualitySensor, char: C.AirQuality, toHomeKit: (v) => clamp(Math.round(num(v)), 0, 5) },
    light: { service: S.LightSensor, char: C.CurrentAmbientLightLevel, toHomeKit: (v) => clamp(num(v), 0.0001, 100000) },
    contact: {
      service: S.ContactSensor,
      char: C.ContactSensorState,
      toHomeKit: flag(C.ContactSensorState.CONTACT_NOT_DETECTED, C.ContactSensorState.CONTACT_DETECTED),
    },
    leak: { service: S.LeakSensor, char: C.LeakDetected, toHomeKit: flag(C.LeakDetected.LEAK_DETECTED, C.LeakDetected.LEAK_NOT_DETECTED) },
    motion: { service: S.MotionSensor, char: C.MotionDetected, toHomeKit: (v) => Boolean(v) },
    occupancy: {
      service: S.OccupancySensor,
      char: C.OccupancyDetected,
      toHomeKit: flag(C.OccupancyDetected.OCCUPANCY_DETECTED, C.OccupancyDetected.OCCUPANCY_NOT_DETECTED),
    },
    smoke: {
      service: S.SmokeSensor,
      char: C.SmokeDetected,
      toHomeKit: flag(C.SmokeDetected.SMOKE_DETECTED, C.SmokeDetected.SMOKE_NOT_DETECTED),
    },
  };
}

export const sensorMapper: Mapper<'sensor'> = (hap, cap) => {
  const entry = sensorTable(hap)[cap.sensor];
  const read = (convert: SensorEntry['toHomeKit']) => (c: SensorCapability) => (c.value === undefined ? undefined : convert(c.value));
  return [
    {
      type: entry.service,
      statusActive: true,
      chars: [
        { type: entry.char, get: read(entry.toHomeKit) },
        ...(entry.extra ? [{ type: entry.extra.char, get: read(entry.extra.toHomeKit) }] : []),
      ],
    },
  ];
};
