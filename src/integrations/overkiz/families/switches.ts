import { cmd, type Family } from './common';

export const onOffSwitches: Family = {
  name: 'on/off switch or plug',
  uiClasses: ['OnOff'],
  capabilities: (s, d) => [
    {
      kind: /plug|socket/i.test(d.widget ?? d.definition.widgetName ?? '') ? 'outlet' : 'switch',
      id: 'switch',
      name: d.label,
      on: s.string('core:OnOffState') === 'on',
    },
  ],
  command: (_s, c) => (c.type === 'setOn' ? [cmd(c.on ? 'on' : 'off')] : []),
};
