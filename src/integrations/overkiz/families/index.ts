import type { OverkizDevice } from '../schemas';
import { myFoxAlarm, statelessAlarm, tskAlarm, zoneAlarm } from './alarms';
import { bioclimaticPergola, covers } from './covers';
import { type Family, kindOf } from './common';
import { energyMeter } from './energyMeter';
import { garageDoors } from './garage';
import { genericHeating } from './genericHeating';
import { hitachiHeatPump } from './hitachi';
import { hotWater } from './hotWater';
import { lights } from './lights';
import { mediaPlayer } from './mediaPlayer';
import { doorLocks } from './lock';
import { passApcZone, passApcZoneControl } from './passApc';
import { pilotWireHeater } from './pilotWireHeater';
import { sensors } from './sensors';
import { sirens } from './siren';
import { setpointHeater } from './setpointHeater';
import { somfyThermostat } from './somfyThermostat';
import { onOffSwitches } from './switches';
import { valveHeating } from './valveHeating';
import { heatRecoveryVentilation } from './ventilation';

/** Every family; a new one is one file plus one line here. Widget matches are tried before uiClass matches. */
export const FAMILIES: readonly Family[] = [
  bioclimaticPergola,
  valveHeating,
  somfyThermostat,
  setpointHeater,
  pilotWireHeater,
  passApcZone,
  passApcZoneControl,
  hitachiHeatPump,
  tskAlarm,
  myFoxAlarm,
  zoneAlarm,
  statelessAlarm,
  heatRecoveryVentilation,
  covers,
  garageDoors,
  lights,
  onOffSwitches,
  doorLocks,
  sensors,
  hotWater,
  energyMeter,
  sirens,
  mediaPlayer,
  genericHeating,
];

export function familyFor(d: OverkizDevice): Family | undefined {
  const { uiClass, widget } = kindOf(d);
  return FAMILIES.find((f) => f.widgets?.includes(widget)) ?? FAMILIES.find((f) => f.uiClasses?.includes(uiClass));
}

export type { Family, MapOptions } from './common';
export { kindOf } from './common';
