import type { Capability } from '../core/model';
import { heaterCoolerPart, thermostatPart } from './climate';
import { coverPart, garageDoorPart } from './cover';
import { fanPart } from './fan';
import { lightPart, switchPart } from './light';
import { lockPart } from './lock';
import { sensorPart } from './sensors';
import type { PartSpec } from './spec';

/**
 * The one switch from capability kind to a Matter endpoint. Kinds Matter (as Homebridge 2.4 offers it) has no device
 * type for stay HAP-only: batteries, energy meters, alarm systems, stateless buttons, CO₂ sensors.
 */
export function partFor(cap: Capability): PartSpec<Capability> | undefined {
  const spec = (() => {
    switch (cap.kind) {
      case 'switch':
      case 'outlet':
        return switchPart(cap);
      case 'light':
        return lightPart(cap);
      case 'cover':
        return coverPart(cap);
      case 'garageDoor':
        return garageDoorPart(cap);
      case 'thermostat':
        return thermostatPart(cap);
      case 'heaterCooler':
        return heaterCoolerPart(cap);
      case 'fan':
        return fanPart(cap);
      case 'lock':
        return lockPart(cap);
      case 'sensor':
        return sensorPart(cap);
      case 'battery':
      case 'energy':
      case 'securitySystem':
      case 'button':
        return undefined;
    }
  })();
  // Each part is typed for its own kind; the binder always hands its handlers a capability of that kind back.
  return spec as unknown as PartSpec<Capability> | undefined;
}
