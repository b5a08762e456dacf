/**
 * Makes a vendor label acceptable to HomeKit (hap-nodejs checkName): it must start and end with a letter or a
 * digit and contain only letters, digits, spaces and common punctuation. Emoji and symbols are dropped, so Siri
 * and the Home app say the name as written.
 */
const ALLOWED_INSIDE = /[^\p{L}\p{N}\p{Zs}\u2019'&!._:;()/,-]/gu;
const EDGE = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

export function cleanName(label: string | undefined, fallback = 'Accessory'): string {
  const cleaned = (label ?? '')
    .normalize('NFC')
    .replace(ALLOWED_INSIDE, ' ')
    .replace(/\p{Zs}+/gu, ' ')
    .replace(EDGE, '')
    .trim();
  const limited = cleaned.length > 64 ? cleaned.slice(0, 64).replace(EDGE, '') : cleaned;
  if (!limited) return fallback === label ? 'Accessory' : cleanName(fallback, 'Accessory');
  // One character ("1", a room number) is not a HomeKit name: it needs a first and a last character.
  if ([...limited].length === 1) return fallback === label ? `Accessory ${limited}` : `${cleanName(fallback, 'Accessory')} ${limited}`;
  return limited;
}
