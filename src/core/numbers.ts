/** `value` kept within [min, max]. Rounding, where a vendor wants whole numbers, is the caller's. */
export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
