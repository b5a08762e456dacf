import { cmd, type Family } from './common';

/**
 * A media renderer (Sonos through Overkiz) as a switch: on = playing (play), off = pause. The setup carries no play
 * state for these players (only its declaration), so it shows off until a `core:PlayState` event says "playing".
 */
export const mediaPlayer: Family = {
  name: 'media player',
  uiClasses: ['MusicPlayer'],
  capabilities(s, d) {
    if (!s.can('play') || !(s.can('pause') || s.can('stop'))) return [];
    return [{ kind: 'switch', id: 'play', name: d.label, on: s.string('core:PlayState') === 'playing' }];
  },
  command(s, c) {
    if (c.type !== 'setOn') return [];
    if (c.on) return [cmd('play')];
    return [cmd(s.can('pause') ? 'pause' : 'stop')];
  },
};
