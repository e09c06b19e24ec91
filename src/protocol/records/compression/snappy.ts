import { compress as rawCompress } from 'snappyjs';
import { CorruptRecordError } from '../errors';

/**
 * Snappy as Kafka clients write it. Kafka's Java producer wraps raw snappy blocks in
 * snappy-java's ("xerial") stream: a 16-byte header (0x82 'SNAPPY' 0x00, int32 version,
 * int32 compatible version) then [int32 length, raw snappy block]*. librdkafka writes raw
 * snappy and reads both, telling them apart by that header; so does this module.
 * Blocks are encoded by snappyjs and decoded here, with every length and offset checked
 * (snappyjs's decoder accepts truncated input and pads the output with zeros).
 */

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;
const XERIAL_VERSION = 1;
const XERIAL_COMPATIBLE_VERSION = 1;
/** snappy-java's default block size. */
const XERIAL_BLOCK_SIZE = 32 * 1024;
/** Snappy expands at most about 21x (a 3-byte copy of 64 bytes); bounds a bad length header. */
const MAX_EXPANSION = 22;

function isXerial(data: Buffer, pos: number): boolean {
  return data.length - pos >= XERIAL_HEADER_SIZE && data.compare(XERIAL_MAGIC, 0, 8, pos, pos + 8) === 0;
}

function corrupt(message: string): CorruptRecordError {
  return new CorruptRecordError(`snappy: ${message}`);
}

/** Decodes one raw snappy block (format_description.txt): a varint length, then literals and copies. */
function rawDecompress(block: Buffer): Buffer {
  const end = block.length;
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= end || shift > 28) throw corrupt('bad length preamble');
    const b = block[pos++];
    length += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  if (length > end * MAX_EXPANSION + 64)
    throw corrupt(`length ${length} is impossible for ${end} compressed bytes`);
  const out = Buffer.allocUnsafe(length);
  let outPos = 0;
  while (pos < end) {
    const tag = block[pos++];
    const kind = tag & 0x03;
    let len: number;
    if (kind === 0) {
      len = (tag >>> 2) + 1;
      if (len > 60) {
        const extra = len - 60;
        if (pos + extra > end) throw corrupt('literal length truncated');
        len = 0;
        for (let i = 0; i < extra; i++) len += block[pos + i] * 2 ** (8 * i);
        len += 1;
        pos += extra;
      }
      if (pos + len > end || outPos + len > length) throw corrupt('literal runs past the data');
      block.copy(out, outPos, pos, pos + len);
      pos += len;
      outPos += len;
      continue;
    }
    let offset: number;
    if (kind === 1) {
      if (pos >= end) throw corrupt('copy truncated');
      len = ((tag >>> 2) & 0x07) + 4;
      offset = ((tag >>> 5) << 8) | block[pos++];
    } else if (kind === 2) {
      if (pos + 2 > end) throw corrupt('copy truncated');
      len = (tag >>> 2) + 1;
      offset = block.readUInt16LE(pos);
      pos += 2;
    } else {
      if (pos + 4 > end) throw corrupt('copy truncated');
      len = (tag >>> 2) + 1;
      offset = block.readUInt32LE(pos);
      pos += 4;
    }
    if (offset === 0 || offset > outPos || outPos + len > length) throw corrupt('copy outside the output');
    if (offset >= len) {
      out.copy(out, outPos, outPos - offset, outPos - offset + len);
      outPos += len;
    } else {
      // Overlapping copy: repeats the last `offset` bytes.
      for (let i = 0; i < len; i++, outPos++) out[outPos] = out[outPos - offset];
    }
  }
  if (outPos !== length) throw corrupt(`decoded ${outPos} bytes, the preamble says ${length}`);
  return out;
}

/** Decodes raw snappy, or the xerial stream (several concatenated streams too). */
export function snappyDecompress(data: Buffer): Buffer {
  if (!isXerial(data, 0)) return rawDecompress(data);
  const chunks: Buffer[] = [];
  let pos = 0;
  while (pos < data.length) {
    if (isXerial(data, pos)) {
      pos += XERIAL_HEADER_SIZE;
      continue;
    }
    if (data.length - pos < 4) throw new CorruptRecordError('snappy: xerial chunk length truncated');
    const size = data.readInt32BE(pos);
    pos += 4;
    if (size < 0 || size > data.length - pos)
      throw new CorruptRecordError('snappy: xerial chunk runs past the data');
    chunks.push(rawDecompress(data.subarray(pos, pos + size)));
    pos += size;
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
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
