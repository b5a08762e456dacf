/** Reads Eve "room" and "energy" history data back, to check what the Eve app would receive. */
export function decodeStatus(base64: string) {
  const b = Buffer.from(base64, 'base64');
  return {
    lastEntrySeconds: b.readUInt32LE(0),
    refTime: b.readUInt32LE(8),
    signature: b.subarray(12, 21).toString('hex'),
    usedMemory: b.readUInt16LE(21),
    memorySize: b.readUInt16LE(23),
    firstEntry: b.readUInt32LE(25),
  };
}

export interface DecodedEntry {
  index: number;
  kind: 'reference' | 'room' | 'energy';
  seconds?: number;
  refTime?: number;
  temperature?: number;
  humidity?: number;
  ppm?: number;
  powerW?: number;
}

export function decodeEntries(base64: string): DecodedEntry[] {
  const b = Buffer.from(base64, 'base64');
  const out: DecodedEntry[] = [];
  for (let o = 0; o < b.length && b[o] > 1; o += b[o]) {
    const len = b[o];
    const index = b.readUInt32LE(o + 1);
    if (len === 0x15) out.push({ index, kind: 'reference', refTime: b.readUInt32LE(o + 10) });
    else if (len === 0x14 && b[o + 9] === 0x1f)
      out.push({ index, kind: 'energy', seconds: b.readUInt32LE(o + 5), powerW: b.readUInt16LE(o + 14) / 10 });
    else
      out.push({
        index,
        kind: 'room',
        seconds: b.readUInt32LE(o + 5),
        temperature: b.readInt16LE(o + 10) / 100,
        humidity: b.readUInt16LE(o + 12) / 100,
        ppm: b.readUInt16LE(o + 14),
      });
  }
  return out;
}
