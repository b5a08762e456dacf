import type { HAP } from 'homebridge';
import type { Capability } from '../core/model';
import { batteryMapper } from './battery';
import { buttonMapper } from './button';
import { energyMapper } from './energy';
import { fanMapper } from './fan';
import { securityMapper } from './security';
import { coverMapper } from './cover';
import { garageDoorMapper } from './garageDoor';
import { heaterCoolerMapper } from './heaterCooler';
import { lightMapper } from './light';
import { lockMapper } from './lock';
import { sensorMapper } from './sensors';
import type { ServiceSpec } from './spec';
import { switchMapper } from './switch';
import { thermostatMapper } from './thermostat';

/** The one switch from capability kind to HomeKit services. */
export function specsFor(hap: HAP, cap: Capability): Array<ServiceSpec<Capability>> {
  const specs = (() => {
    switch (cap.kind) {
      case 'switch':
      case 'outlet':
        return switchMapper(hap, cap);
      case 'light':
        return lightMapper(hap, cap);
      case 'cover':
        return coverMapper(hap, cap);
      case 'garageDoor':
        return garageDoorMapper(hap, cap);
      case 'thermostat':
        return thermostatMapper(hap, cap);
      case 'heaterCooler':
        return heaterCoolerMapper(hap, cap);
      case 'fan':
        return fanMapper(hap, cap);
      case 'sensor':
        return sensorMapper(hap, cap);
      case 'battery':
        return batteryMapper(hap, cap);
      case 'lock':
        return lockMapper(hap, cap);
      case 'button':
        return buttonMapper(hap, cap);
      case 'securitySystem':
        return securityMapper(hap, cap);
      case 'energy':
        return energyMapper(hap, cap);
    }
  })();
  // Each mapper is typed for its own kind; the binder always hands it a capability of that kind back.
  return specs as unknown as Array<ServiceSpec<Capability>>;
}
