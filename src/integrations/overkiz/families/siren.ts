import { cmd, type Family } from './common';

/** Sirens, only with `exposeSirens`: a switch, on = ringing (ring), off = stop. Not shown otherwise. */
export const sirens: Family = {
  name: 'siren',
  uiClasses: ['Siren'],
  capabilities(s, d, opts) {
    if (!opts.exposeSirens || !s.can('ring')) return [];
    return [{ kind: 'switch', id: 'siren', name: d.label, on: s.string('core:OnOffState') === 'on' }];
  },
  command(s, c, _d, opts) {
    if (!opts.exposeSirens || c.type !== 'setOn') return [];
    if (c.on) return [cmd('ring')];
    return s.can('stop') ? [cmd('stop')] : s.can('off') ? [cmd('off')] : [];
  },
};
