import { compress as rawCompress } from 'snappyjs';
import { CorruptRecordError } from '../errors';

/**
 * Snappy as Kafka clients write it. Kafka's Java producer wraps raw snappy blocks in
 * snappy-java's ("xerial") stream: a 16-byte header (0x82 'SNAPPY' 0x00, int32 version,
 * int32 compatible version) then [int32 length, raw snappy block]*. librdkafka writes raw
 * snappy and reads both, telling them apart by that header; so does this module.
 * Blocks are encoded by snappyjs and decoded here, with every length and offset checked
 * (snappyjs's decoder accepts truncated input and pads the output with zeros), and the declared
 * length checked against what the input could hold before the output is allocated.
 */

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;
const XERIAL_VERSION = 1;
const XERIAL_COMPATIBLE_VERSION = 1;
/** snappy-java's default block size. */
const XERIAL_BLOCK_SIZE = 32 * 1024;
/** Snappy expands at most about 21x (a 3-byte copy of 64 bytes); bounds a bad length header. */
const MAX_EXPANSION = 22;
/** Below this, a byte loop beats a call into `set`/`copyWithin` (measured in bench/codecs.ts). */
const SHORT_COPY = 24;

function isXerial(data: Buffer, pos: number): boolean {
  return data.length - pos >= XERIAL_HEADER_SIZE && data.compare(XERIAL_MAGIC, 0, 8, pos, pos + 8) === 0;
}

function corrupt(message: string): CorruptRecordError {
  return new CorruptRecordError(`snappy: ${message}`);
}

/**
 * A raw snappy block's preamble in `data[start, end)`: the uncompressed length (a varint),
 * checked against what `end - start` compressed bytes can hold, and where the tags begin.
 */
function preamble(data: Buffer, start: number, end: number): [length: number, pos: number] {
  let pos = start;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= end || shift > 28) throw corrupt('bad length preamble');
    const b = data[pos++];
    length += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  if (length > (end - start) * MAX_EXPANSION + 64)
    throw corrupt(`length ${length} is impossible for ${end - start} compressed bytes`);
  return [length, pos];
}

/**
 * Decodes the tags of one raw snappy block (format_description.txt), literals and copies in
 * `data[pos, end)`, into exactly `out[outStart, outStart + length)`.
 */
function decodeInto(
  data: Buffer,
  pos: number,
  end: number,
  out: Buffer,
  outStart: number,
  length: number,
): void {
  const outEnd = outStart + length;
  let outPos = outStart;
  while (pos < end) {
    const tag = data[pos++];
    const kind = tag & 0x03;
    let len: number;
    if (kind === 0) {
      len = (tag >>> 2) + 1;
      if (len > 60) {
        const extra = len - 60;
        if (pos + extra > end) throw corrupt('literal length truncated');
        len = 0;
        for (let i = 0; i < extra; i++) len += data[pos + i] * 2 ** (8 * i);
        len += 1;
        pos += extra;
      }
      if (len > end - pos || len > outEnd - outPos) throw corrupt('literal runs past the data');
      if (len < SHORT_COPY) {
        for (let i = 0; i < len; i++) out[outPos + i] = data[pos + i];
      } else {
        out.set(data.subarray(pos, pos + len), outPos);
      }
      pos += len;
      outPos += len;
      continue;
    }
    let offset: number;
    if (kind === 1) {
      if (pos >= end) throw corrupt('copy truncated');
      len = ((tag >>> 2) & 0x07) + 4;
      offset = ((tag >>> 5) << 8) | data[pos++];
    } else if (kind === 2) {
      if (pos + 2 > end) throw corrupt('copy truncated');
      len = (tag >>> 2) + 1;
      offset = data[pos] | (data[pos + 1] << 8);
      pos += 2;
    } else {
      if (pos + 4 > end) throw corrupt('copy truncated');
      len = (tag >>> 2) + 1;
      offset = data.readUInt32LE(pos);
      pos += 4;
    }
    if (offset === 0 || offset > outPos - outStart || len > outEnd - outPos)
      throw corrupt('copy outside the output');
    const from = outPos - offset;
    if (len < SHORT_COPY || offset < len) {
      // Short, or overlapping (repeats the last `offset` bytes): byte by byte.
      for (let i = 0; i < len; i++) out[outPos + i] = out[from + i];
    } else {
      out.copyWithin(outPos, from, from + len);
    }
    outPos += len;
  }
  if (outPos !== outEnd) throw corrupt(`decoded ${outPos - outStart} bytes, the preamble says ${length}`);
}

function rawDecompress(data: Buffer): Buffer {
  const [length, pos] = preamble(data, 0, data.length);
  const out = Buffer.allocUnsafe(length);
  decodeInto(data, pos, data.length, out, 0, length);
  return out;
}

/**
 * Decodes raw snappy, or the xerial stream (several concatenated streams too). The xerial
 * chunks' preambles are read first, so the output is allocated once, at its checked size.
 */
export function snappyDecompress(data: Buffer): Buffer {
  if (!isXerial(data, 0)) return rawDecompress(data);
  const chunks: number[] = []; // start, end and uncompressed length of each chunk
  let total = 0;
  let pos = 0;
  while (pos < data.length) {
    if (isXerial(data, pos)) {
      pos += XERIAL_HEADER_SIZE;
      continue;
    }
    if (data.length - pos < 4) throw corrupt('xerial chunk length truncated');
    const size = data.readInt32BE(pos);
    pos += 4;
    if (size < 0 || size > data.length - pos) throw corrupt('xerial chunk runs past the data');
    const [length] = preamble(data, pos, pos + size);
    chunks.push(pos, pos + size, length);
    total += length;
    pos += size;
  }
  const out = Buffer.allocUnsafe(total);
  let outPos = 0;
  for (let i = 0; i < chunks.length; i += 3) {
    const [length, tags] = preamble(data, chunks[i], chunks[i + 1]);
    decodeInto(data, tags, chunks[i + 1], out, outPos, length);
    outPos += length;
  }
  return out;
}

/** Encodes as Kafka's Java producer does: the xerial stream with 32 KiB blocks. */
export function snappyCompress(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(XERIAL_HEADER_SIZE);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(XERIAL_VERSION, 8);
  header.writeInt32BE(XERIAL_COMPATIBLE_VERSION, 12);
  parts.push(header);
  for (let start = 0; start < data.length; start += XERIAL_BLOCK_SIZE) {
    const block = rawCompress(data.subarray(start, Math.min(start + XERIAL_BLOCK_SIZE, data.length)));
    const length = Buffer.allocUnsafe(4);
    length.writeInt32BE(block.length, 0);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}
