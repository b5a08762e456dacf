import type { Mapper } from './spec';

/** A vendor button press becomes a HomeKit event (usable as an automation trigger); it has no state to read. */
export const buttonMapper: Mapper<'button'> = (hap) => {
  const E = hap.Characteristic.ProgrammableSwitchEvent;
  const event = { single: E.SINGLE_PRESS, double: E.DOUBLE_PRESS, long: E.LONG_PRESS };
  return [
    {
      type: hap.Service.StatelessProgrammableSwitch,
      chars: [{ type: E, get: (c) => event[c.lastPress ?? 'single'], eventKey: (c) => c.presses }],
    },
  ];
};
