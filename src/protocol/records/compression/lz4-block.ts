import { CorruptRecordError } from '../errors';

/*
 * The LZ4 block format (lz4_Block_format.md): sequences of a token (literal length in the high
 * four bits, match length - 4 in the low four, 15 meaning "more bytes follow"), the literals,
 * then a two-byte little-endian match offset. The last sequence has literals only.
 *
 * Every length and offset is checked against both buffers: a match may reach back only into
 * output written since `windowStart` (lz4js does not check offsets, so a bad block reads
 * whatever the output buffer held before).
 */

const MIN_MATCH = 4;
/** Below this, a byte loop beats a call into `set`/`copyWithin` (measured in bench/codecs.ts). */
const SHORT_COPY = 24;

function corrupt(message: string): CorruptRecordError {
  return new CorruptRecordError(`lz4: ${message}`);
}

/**
 * Decodes the block `src[sStart, sEnd)` into `dst` from `dStart`, writing nothing at or past
 * `dEnd`; matches may copy from `dst[windowStart, ...)` on (earlier blocks of a linked frame).
 * Returns the end of the output in `dst`. Throws a CorruptRecordError on any bad length or offset.
 */
export function lz4DecodeBlock(
  src: Uint8Array,
  sStart: number,
  sEnd: number,
  dst: Uint8Array,
  dStart: number,
  dEnd: number,
  windowStart = dStart,
): number {
  let s = sStart;
  let d = dStart;
  if (s >= sEnd) throw corrupt('empty block');
  for (;;) {
    const token = src[s++];
    let literals = token >>> 4;
    if (literals === 15) {
      let b: number;
      do {
        if (s >= sEnd) throw corrupt('literal length runs past the block');
        b = src[s++];
        literals += b;
      } while (b === 255);
    }
    if (literals > sEnd - s) throw corrupt('literals run past the block');
    if (literals > dEnd - d) throw corrupt('literals run past the output');
    if (literals < SHORT_COPY) {
      for (let i = 0; i < literals; i++) dst[d + i] = src[s + i];
    } else {
      dst.set(src.subarray(s, s + literals), d);
    }
    s += literals;
    d += literals;
    if (s === sEnd) return d; // the last sequence: literals only
    if (sEnd - s < 2) throw corrupt('match offset truncated');
    const offset = src[s] | (src[s + 1] << 8);
    s += 2;
    if (offset === 0 || offset > d - windowStart)
      throw corrupt(`match offset ${offset} is outside the output`);
    let length = (token & 15) + MIN_MATCH;
    if ((token & 15) === 15) {
      let b: number;
      do {
        if (s >= sEnd) throw corrupt('match length runs past the block');
        b = src[s++];
        length += b;
      } while (b === 255);
    }
    if (length > dEnd - d) throw corrupt('match runs past the output');
    const from = d - offset;
    if (length < SHORT_COPY) {
      for (let i = 0; i < length; i++) dst[d + i] = dst[from + i];
    } else if (offset >= length) {
      dst.copyWithin(d, from, from + length);
    } else {
      // Overlapping: the last `offset` bytes repeat. Each copy doubles what can be copied next,
      // and stays a whole number of periods, so the pattern holds.
      let copied = 0;
      while (copied < length) {
        const n = Math.min(offset + copied, length - copied);
        dst.copyWithin(d + copied, from, from + n);
        copied += n;
      }
    }
    d += length;
  }
}
