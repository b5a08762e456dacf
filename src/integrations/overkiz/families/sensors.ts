import type { SensorType } from '../../../core/model';
import type { StateReader } from '../states';
import { type Family, kindOf } from './common';

type Reading = number | boolean | undefined;
const equals = (state: string, value: string) => (s: StateReader) => (s.has(state) ? s.string(state) === value : undefined);

/** The first of these states the device has (contact sensors report one of several, by model). */
function contactOpen(s: StateReader): Reading {
  if (s.has('core:ContactState')) return s.string('core:ContactState') === 'open';
  if (s.has('core:OpenClosedState')) return s.string('core:OpenClosedState') === 'open';
  // Somfy IntrusionSensor (vibration): an intrusion shows as "open".
  if (s.has('core:IntrusionDetectedState')) return s.boolean('core:IntrusionDetectedState') === true;
  return undefined;
}

const occupied = (s: StateReader): Reading =>
  s.has('core:OccupancyState') ? s.string('core:OccupancyState') === 'personInside' : undefined;

interface SensorRow {
  sensor: SensorType;
  read: (s: StateReader) => Reading;
}

/** Keys are widgets first, then uiClasses (a few widgets are named like another class: a CO2Sensor is an AirSensor). */
const BY_WIDGET: Record<string, SensorRow> = {
  CO2Sensor: { sensor: 'co2', read: (s) => s.number('core:CO2ConcentrationState') },
  MotionSensor: { sensor: 'motion', read: occupied },
  WaterDetectionSensor: { sensor: 'leak', read: equals('core:WaterDetectionState', 'detected') },
};
const BY_UI_CLASS: Record<string, SensorRow> = {
  TemperatureSensor: { sensor: 'temperature', read: (s) => s.number('core:TemperatureState') },
  HumiditySensor: { sensor: 'humidity', read: (s) => s.number('core:RelativeHumidityState') },
  LightSensor: { sensor: 'light', read: (s) => s.number('core:LuminanceState') },
  ContactSensor: { sensor: 'contact', read: contactOpen },
  WindowHandle: {
    sensor: 'contact',
    read: (s) => (s.has('core:ThreeWayHandleDirectionState') ? s.string('core:ThreeWayHandleDirectionState') !== 'closed' : undefined),
  },
  OccupancySensor: { sensor: 'occupancy', read: occupied },
  MotionSensor: { sensor: 'motion', read: occupied },
  SmokeSensor: { sensor: 'smoke', read: equals('core:SmokeState', 'detected') },
  WaterSensor: { sensor: 'leak', read: equals('core:WaterDetectionState', 'detected') },
  CarbonDioxideSensor: { sensor: 'co2', read: (s) => s.number('core:CO2ConcentrationState') },
  AirSensor: { sensor: 'co2', read: (s) => s.number('core:CO2ConcentrationState') },
};

export function sensorRow(d: Parameters<typeof kindOf>[0]): SensorRow | undefined {
  const { uiClass, widget } = kindOf(d);
  return BY_WIDGET[widget] ?? BY_UI_CLASS[uiClass];
}

export const sensors: Family = {
  name: 'sensor',
  widgets: Object.keys(BY_WIDGET),
  uiClasses: Object.keys(BY_UI_CLASS),
  capabilities(s, d) {
    const row = sensorRow(d);
    if (!row) return [];
    return [{ kind: 'sensor', id: 'sensor', name: d.label, sensor: row.sensor, value: row.read(s) }];
  },
};
