import { cleanName } from '../../../src/homekit/names';

describe('cleanName', () => {
  it.each([
    ['Living room', 'Living room'],
    ['🔥 Salon 🔥', 'Salon'],
    ['- Bureau #2 -', 'Bureau 2'],
    ["Chambre d'amis", "Chambre d'amis"],
    ['Volet (RDC), côté rue.', 'Volet (RDC), côté rue'],
    ['Salle   de    bain', 'Salle de bain'],
    ['Cuisine*', 'Cuisine'],
  ])('%s -> %s', (input, expected) => {
    expect(cleanName(input)).toBe(expected);
  });

  it('falls back when nothing speakable is left', () => {
    expect(cleanName('🔥🔥', 'Heater')).toBe('Heater');
    expect(cleanName('', '')).toBe('Accessory');
  });

  it('always produces what hap-nodejs accepts', () => {
    const ok = /^[\p{L}\p{N}][\p{L}\p{N}\p{Zs}\u2019'&!._:;()/,-]*[\p{L}\p{N}]$|^[\p{L}\p{N}]$/u;
    for (const s of ['a', '  x  ', '"Quoted"', 'Tab\tname', 'end!', "'start", 'Ω-Zone', '12']) expect(cleanName(s)).toMatch(ok);
  });
});
