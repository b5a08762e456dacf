import type { LightCapability, SwitchCapability } from '../core/model';
import { clamp, numberArg, type PartCommand, type PartSpec } from './spec';

const NEUTRAL_MIREDS = 250;

/** Matter levels are 1..254; ours are percent. */
export function levelOf(percent: number): number {
  return Math.round(clamp(percent, 0, 100) * 2.54) || 1;
}

export function percentOf(level: number): number {
  return Math.round(clamp(level, 0, 254) / 2.54);
}

const onOffHandlers = {
  on: (): PartCommand[] => [{ type: 'setOn', on: true }],
  off: (): PartCommand[] => [{ type: 'setOn', on: false }],
  toggle: (_args: Record<string, unknown>, cap: { on: boolean }): PartCommand[] => [{ type: 'setOn', on: !cap.on }],
};

export function switchPart(c: SwitchCapability): PartSpec<SwitchCapability> {
  return {
    deviceType: c.kind === 'outlet' ? 'OnOffOutlet' : 'OnOffSwitch',
    state: { onOff: { onOff: c.on } },
    handlers: { onOff: onOffHandlers },
  };
}

export function lightPart(c: LightCapability): PartSpec<LightCapability> {
  const colour = c.hue !== undefined && c.saturation !== undefined;
  const state: PartSpec<LightCapability>['state'] = { onOff: { onOff: c.on } };
  if (c.brightness !== undefined) state.levelControl = { currentLevel: levelOf(c.brightness), minLevel: 1, maxLevel: 254 };
  if (colour || c.colorTemperature !== undefined) {
    state.colorControl = {
      // 0 = hue and saturation, 2 = colour temperature
      colorMode: colour ? 0 : 2,
      ...(colour
        ? { currentHue: Math.round(((c.hue ?? 0) / 360) * 254), currentSaturation: Math.round(((c.saturation ?? 0) / 100) * 254) }
        : {}),
      // Matter's colour lights always have colour temperature: a hue-only lamp shows a neutral white there.
      colorTemperatureMireds: c.colorTemperature ?? NEUTRAL_MIREDS,
      colorTempPhysicalMinMireds: 140,
      colorTempPhysicalMaxMireds: 500,
      coupleColorTempToLevelMinMireds: 140,
    };
  }
  const toLevel = (args: Record<string, unknown>): PartCommand[] => {
    const level = numberArg(args, 'level');
    return level === undefined ? [] : [{ type: 'setBrightness', brightness: Math.max(1, percentOf(level)) }];
  };
  return {
    deviceType: colour
      ? 'ExtendedColorLight'
      : c.colorTemperature !== undefined
        ? 'ColorTemperatureLight'
        : c.brightness !== undefined
          ? 'DimmableLight'
          : 'OnOffLight',
    state,
    handlers: {
      onOff: onOffHandlers,
      levelControl: { moveToLevel: toLevel, moveToLevelWithOnOff: toLevel },
      colorControl: {
        moveToColorTemperatureLogic: (args) => {
          const mireds = numberArg(args, 'colorTemperatureMireds');
          return mireds === undefined ? [] : [{ type: 'setColorTemperature', mireds: Math.round(clamp(mireds, 140, 500)) }];
        },
        moveToHueAndSaturationLogic: (args) => [...hue(numberArg(args, 'hue')), ...saturation(numberArg(args, 'saturation'))],
        moveToHueLogic: (args) => hue(numberArg(args, 'targetHue')),
        moveToSaturationLogic: (args) => saturation(numberArg(args, 'targetSaturation')),
      },
    },
  };
}

const hue = (v: number | undefined): PartCommand[] =>
  v === undefined ? [] : [{ type: 'setHue', hue: Math.round((clamp(v, 0, 254) / 254) * 360) }];
const saturation = (v: number | undefined): PartCommand[] =>
  v === undefined ? [] : [{ type: 'setSaturation', saturation: Math.round((clamp(v, 0, 254) / 254) * 100) }];
