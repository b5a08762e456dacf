import type { Capability, Command, Device } from './model';

/**
 * What a command asks a capability to become, shown in Home until the vendor reports otherwise.
 * The one place that knows how each command changes a capability: every vendor and the device store use it.
 */
export function applyCommand(c: Capability, command: Command): Capability {
  if (c.id !== command.capabilityId) return c;
  switch (command.type) {
    case 'setPosition': {
      if (c.kind !== 'cover') return c;
      const p = command.position;
      const positionState = p === c.currentPosition ? 'stopped' : p > c.currentPosition ? 'increasing' : 'decreasing';
      return { ...c, targetPosition: p, positionState, ...(c.assumed ? { currentPosition: p } : {}) };
    }
    case 'setTilt':
      return c.kind === 'cover' ? { ...c, tilt: command.tilt } : c;
    case 'setOn':
      if (c.kind === 'switch' || c.kind === 'outlet') return { ...c, on: c.momentary ? false : command.on };
      if (c.kind === 'heaterCooler') return { ...c, active: command.on };
      return c.kind === 'light' || c.kind === 'fan' ? { ...c, on: command.on } : c;
    case 'setBrightness':
      return c.kind === 'light' ? { ...c, brightness: command.brightness } : c;
    case 'setTargetTemperature':
      return c.kind === 'thermostat' ? { ...c, targetTemperature: command.temperature } : c;
    case 'setMode':
      if (c.kind === 'heaterCooler' && command.mode !== 'off') return { ...c, mode: command.mode };
      return c.kind === 'thermostat' ? { ...c, mode: command.mode } : c;
    case 'setHeatingThreshold':
      return c.kind === 'heaterCooler' ? { ...c, heatingTarget: command.temperature } : c;
    case 'setCoolingThreshold':
      return c.kind === 'heaterCooler' ? { ...c, coolingTarget: command.temperature } : c;
    case 'setFanSpeed':
      if (c.kind === 'heaterCooler') return { ...c, fanSpeed: command.speed };
      return c.kind === 'fan' ? { ...c, speed: command.speed } : c;
    case 'setFanAuto':
      return c.kind === 'fan' ? { ...c, auto: command.auto } : c;
    case 'setSwing':
      return c.kind === 'heaterCooler' ? { ...c, swing: command.on } : c;
    case 'setDoor':
      return c.kind === 'garageDoor' ? { ...c, target: command.target } : c;
    case 'setLock':
      return c.kind === 'lock' ? { ...c, target: command.target } : c;
    case 'setSecurity':
      return c.kind === 'securitySystem' ? { ...c, target: command.target } : c;
    case 'setHue':
      return c.kind === 'light' ? { ...c, hue: command.hue } : c;
    case 'setSaturation':
      return c.kind === 'light' ? { ...c, saturation: command.saturation } : c;
    case 'setColorTemperature':
      return c.kind === 'light' ? { ...c, colorTemperature: command.mireds } : c;
    case 'hold':
      return c.kind === 'cover' ? { ...c, targetPosition: c.currentPosition, positionState: 'stopped' } : c;
  }
}

/** Changes the capabilities of a device that `pick` selects (all by default). */
export function patchCapabilities(
  device: Device,
  change: (c: Capability) => Capability,
  pick: (c: Capability) => boolean = () => true,
): Device {
  return { ...device, capabilities: device.capabilities.map((c) => (pick(c) ? change(c) : c)) };
}

/** Sets (or clears) the fault of every capability of a device. */
export function withFault(device: Device, fault: boolean): Device {
  return patchCapabilities(device, (c) => ({ ...c, fault }));
}

/**
 * The aspect of a capability that a command sets. Writes to different aspects of one device merge into one
 * action (position and tilt; mode and setpoint; on and brightness); for the same aspect the last value wins.
 */
export function aspectOf(command: Command): string {
  return `${command.capabilityId}/${command.type}`;
}
