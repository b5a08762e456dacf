import type { Capability, PositionState } from '../../../core/model';
import type { OverkizDevice } from '../schemas';
import type { StateReader } from '../states';
import { clampInt, cmd, type Family, kindOf, type MapOptions } from './common';

/**
 * Closure-based covers (HomeKit position = 100 - closure: open at closure 0) unless the device only reports a
 * deployment (awnings: HomeKit position = deployment). Screens report both `core:ClosureState` and
 * `core:DeploymentState`; closure wins, as both anchors read them (a screen is open at closure 0).
 */
function usesDeployment(s: StateReader, d: OverkizDevice): boolean {
  if (s.has('core:ClosureState')) return false;
  return s.has('core:DeploymentState') || (kindOf(d).uiClass === 'Awning' && !s.can('setClosure'));
}

function position(s: StateReader, d: OverkizDevice, opts: MapOptions): { current?: number; target?: number } {
  const commanded = opts.commandedTargets?.get(d.deviceURL);
  if (usesDeployment(s, d)) {
    const current = s.number('core:DeploymentState');
    return { current, target: s.number('core:TargetDeploymentState') ?? commanded ?? current };
  }
  const closure = s.number('core:ClosureState');
  const target = s.number('core:TargetClosureState');
  const current = closure === undefined ? undefined : 100 - closure;
  return { current, target: target === undefined ? (commanded ?? current) : 100 - target };
}

/** Slat orientation 0 is open (slats horizontal: HomeKit 0°), 100 closed (90°). */
export const tiltOf = (orientation: number) => clampInt(orientation * 0.9, 0, 90);
export const orientationOf = (tilt: number) => clampInt(Math.abs(tilt) / 0.9, 0, 100);

export const covers: Family = {
  name: 'cover',
  uiClasses: [
    'RollerShutter',
    'Shutter',
    'ExteriorScreen',
    'Screen',
    'Awning',
    'Curtain',
    'Window',
    'VenetianBlind',
    'ExteriorVenetianBlind',
    'SwingingShutter',
    'Pergola',
  ],
  capabilities(s, d, opts) {
    const { current, target } = position(s, d, opts);
    const assumed = current === undefined;
    const shown = current ?? opts.assumedPositions?.get(d.deviceURL) ?? 50;
    const goal = target ?? shown;
    const moving = s.boolean('core:MovingState') === true;
    const positionState: PositionState = !moving || goal === shown ? 'stopped' : goal > shown ? 'increasing' : 'decreasing';
    const slate = s.number('core:SlateOrientationState');
    const caps: Capability[] = [
      {
        kind: 'cover',
        id: 'cover',
        name: d.label,
        currentPosition: clampInt(shown, 0, 100),
        targetPosition: clampInt(goal, 0, 100),
        positionState,
        canHold: s.can('stop'),
        ...(slate !== undefined && s.can('setOrientation') ? { tilt: tiltOf(slate) } : {}),
        ...(assumed ? { assumed: true } : {}),
        // it has a position state, but what it holds is no position: shown as a fault, not as a believable 50 %
        ...(assumed && (s.has('core:ClosureState') || s.has('core:DeploymentState')) ? { fault: true } : {}),
      },
    ];
    if (opts.myPositionSwitch && s.can('my')) caps.push({ kind: 'switch', id: 'my', name: `${d.label} My`, on: false, momentary: true });
    return caps;
  },
  command(s, c, d, opts) {
    switch (c.type) {
      case 'setPosition': {
        const p = clampInt(c.position, 0, 100);
        if (opts.lowSpeedShutters && s.can('setClosureAndLinearSpeed') && !usesDeployment(s, d))
          return [cmd('setClosureAndLinearSpeed', 100 - p, 'lowspeed')];
        if (usesDeployment(s, d)) {
          if (s.can('setDeployment')) return [cmd('setDeployment', p)];
          return s.can('deploy') && s.can('undeploy') ? [cmd(p >= 50 ? 'deploy' : 'undeploy')] : [];
        }
        if (s.can('setClosure')) return [cmd('setClosure', 100 - p)];
        if (s.can('open') && s.can('close')) return [cmd(p >= 50 ? 'open' : 'close')];
        return s.can('up') && s.can('down') ? [cmd(p >= 50 ? 'up' : 'down')] : [];
      }
      case 'hold':
        return s.can('stop') ? [cmd('stop')] : [];
      case 'setTilt':
        return s.can('setOrientation') ? [cmd('setOrientation', orientationOf(c.tilt))] : [];
      case 'setOn':
        return c.capabilityId === 'my' && c.on && s.can('my') ? [cmd('my')] : [];
      default:
        return [];
    }
  },
};

/**
 * A bioclimatic pergola has slats only (no position, no open/close): the cover's position is how open the slats are
 * (100 - orientation), written with setOrientation.
 */
export const bioclimaticPergola: Family = {
  name: 'bioclimatic pergola',
  widgets: ['BioclimaticPergola'],
  capabilities(s, d) {
    const orientation = s.number('core:SlatsOrientationState') ?? s.number('core:SlateOrientationState');
    const open = orientation === undefined ? undefined : clampInt(100 - orientation, 0, 100);
    return [
      {
        kind: 'cover',
        id: 'cover',
        name: d.label,
        currentPosition: open ?? 0,
        targetPosition: open ?? 0,
        positionState: 'stopped',
        canHold: s.can('stop'),
        ...(open === undefined ? { assumed: true } : {}),
      },
    ];
  },
  command(s, c) {
    if (c.type === 'setPosition' && s.can('setOrientation')) return [cmd('setOrientation', 100 - clampInt(c.position, 0, 100))];
    if (c.type === 'hold' && s.can('stop')) return [cmd('stop')];
    return [];
  },
};
