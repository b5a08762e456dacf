import type { SensorCapability } from '../core/model';
import { centi, type ClusterStates, type MatterDeviceTypeName, type PartSpec } from './spec';

/** Matter illuminance: 10000 × log10(lux) + 1, 0 for darkness, null when unknown. */
export function illuminanceOf(lux: number | undefined): number | null {
  if (lux === undefined || !Number.isFinite(lux)) return null;
  return lux < 1 ? 0 : Math.min(0xfffe, Math.round(10_000 * Math.log10(lux) + 1));
}

const bool = (v: number | boolean | undefined): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const num = (v: number | boolean | undefined): number | undefined => (typeof v === 'number' ? v : undefined);

/**
 * Sensors Matter has a device type for; CO₂ has none that Homebridge offers, so a CO₂ sensor stays HAP-only.
 * Contact: Matter's BooleanState is true while in contact, i.e. closed; ours is true while open.
 */
export function sensorPart(c: SensorCapability): PartSpec<SensorCapability> | undefined {
  const v = c.value;
  const part = (deviceType: MatterDeviceTypeName, state: ClusterStates): PartSpec<SensorCapability> => ({ deviceType, state });
  switch (c.sensor) {
    case 'temperature':
      return part('TemperatureSensor', { temperatureMeasurement: { measuredValue: centi(num(v)) } });
    case 'humidity':
      return part('HumiditySensor', { relativeHumidityMeasurement: { measuredValue: centi(num(v)) } });
    case 'light':
      return part('LightSensor', { illuminanceMeasurement: { measuredValue: illuminanceOf(num(v)) } });
    case 'contact':
      return part('ContactSensor', { booleanState: { stateValue: !(bool(v) ?? false) } });
    case 'leak':
      return part('LeakSensor', { booleanState: { stateValue: bool(v) ?? false } });
    case 'motion':
    case 'occupancy':
      return part('MotionSensor', { occupancySensing: { occupancy: { occupied: bool(v) ?? false } } });
    case 'smoke':
      // SmokeState 0 normal, 2 critical
      return part('SmokeSensor', { smokeCoAlarm: { smokeState: bool(v) ? 2 : 0 } });
    case 'airQuality': {
      // ours 1 (excellent) .. 5 (poor) = Matter's good .. very poor; 0 = unknown
      const q = num(v);
      return part('AirQualitySensor', { airQuality: { airQuality: q === undefined ? 0 : Math.min(5, Math.max(1, Math.round(q))) } });
    }
    case 'co2':
      return undefined;
  }
}
