import * as hap from 'hap-nodejs';
import type { HAP } from 'homebridge';
import type { Device } from '../../src/core/model';
import { specsFor } from '../../src/homekit/mappers';
import { cleanName } from '../../src/homekit/names';

/** hap-nodejs checkName: what the Home app accepts as a name. */
const HOMEKIT_NAME = /^[\p{L}\p{N}][\p{L}\p{N}\p{Zs}\u2019'&!._:;()/,-]*[\p{L}\p{N}]$/u;

const H = hap as unknown as HAP;

/**
 * What HomeKit would be shown for `device`: every characteristic value its mappers give, checked the way HAP checks
 * them. A problem is a NaN or infinite number, a number outside the characteristic's range, or a value of the wrong
 * type; undefined is fine (no value yet: the read fails rather than showing a default).
 */
export function hapProblems(device: Device): string[] {
  const out: string[] = [];
  const names = [cleanName(device.name), ...device.capabilities.map((c) => cleanName(c.name, device.name))];
  for (const n of names) if (!HOMEKIT_NAME.test(n)) out.push(`name ${JSON.stringify(n)} (from ${JSON.stringify(device.name)})`);
  for (const cap of device.capabilities) {
    // a non-finite reading would be clamped to the range's edge by the mapper: a believable, wrong value
    for (const [k, v] of Object.entries(cap))
      if (typeof v === 'number' && !Number.isFinite(v)) out.push(`${device.id}/${cap.id}.${k} = ${v} (capability)`);
    for (const spec of specsFor(H, cap)) {
      for (const char of spec.chars) {
        const value = char.get?.(cap);
        if (value === undefined) continue;
        const c = new char.type();
        const props = { ...c.props, ...(char.props?.(cap) ?? {}) };
        const where = `${device.id}/${cap.id}/${c.displayName}`;
        if (typeof value === 'number') {
          if (!Number.isFinite(value)) out.push(`${where} = ${value}`);
          else if (props.minValue !== undefined && value < props.minValue) out.push(`${where} = ${value} < ${props.minValue}`);
          else if (props.maxValue !== undefined && value > props.maxValue) out.push(`${where} = ${value} > ${props.maxValue}`);
          else if (props.validValues && !props.validValues.includes(value)) out.push(`${where} = ${value} not in ${props.validValues}`);
        } else if (typeof value !== 'boolean' && typeof value !== 'string') out.push(`${where} has type ${typeof value}`);
        if (typeof value === 'boolean' && !['bool', 'uint8'].includes(String(props.format))) out.push(`${where} is a boolean`);
      }
    }
  }
  return out;
}
