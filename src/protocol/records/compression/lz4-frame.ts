import { compressBlock, compressBound } from 'lz4js';
import { CorruptRecordError } from '../errors';
import { lz4DecodeBlock } from './lz4-block';
import { xxhash32 } from './xxhash32';

/**
 * The LZ4 frame format (lz4_Frame_format.md), which Kafka uses for lz4 batches since
 * message format v1. Frames are parsed here, not by lz4js, whose frame reader ignores checksums
 * and misreads frames that carry block checksums; blocks are decoded by our own bounds-checked
 * decoder (lz4-block.ts) and encoded by lz4js.
 */

const FRAME_MAGIC = 0x184d2204;
/** Skippable frames: magic 0x184D2A50..0x184D2A5F, then a 4-byte size. */
const SKIPPABLE_MAGIC = 0x184d2a50;
const SKIPPABLE_MASK = 0xfffffff0;

const FLG_VERSION_MASK = 0xc0;
const FLG_VERSION_01 = 0x40;
const FLG_BLOCK_INDEPENDENCE = 0x20;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_RESERVED = 0x02;
const FLG_DICT_ID = 0x01;

const BLOCK_UNCOMPRESSED = 0x80000000;
const BLOCK_MAX_SIZES: Record<number, number> = { 4: 0x10000, 5: 0x40000, 6: 0x100000, 7: 0x400000 };

/** What Kafka's Java producer writes: 64 KiB blocks, each independent of the previous. */
const WRITE_BLOCK_SIZE = 0x10000;
const WRITE_BD = 4 << 4;
const HASH_TABLE_SIZE = 1 << 16;

function corrupt(message: string): CorruptRecordError {
  return new CorruptRecordError(`lz4: ${message}`);
}

function headerChecksum(data: Uint8Array, start: number, end: number): number {
  return (xxhash32(data, start, end) >>> 8) & 0xff;
}

/** A growable output: linked blocks may copy from earlier output, so it stays contiguous. */
class Output {
  buf: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(capacity, 64));
  }

  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(needed, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
  }
}

/**
 * Decodes one or more concatenated LZ4 frames (skippable frames are skipped), verifying the
 * header checksum, block checksums and the content checksum when the frame carries them.
 */
export function lz4FrameDecompress(data: Buffer): Buffer {
  const out = new Output(data.length * 4);
  let pos = 0;
  do {
    pos = readFrame(data, pos, out);
  } while (pos < data.length);
  return Buffer.from(out.buf.buffer, out.buf.byteOffset, out.length);
}

function readFrame(data: Buffer, start: number, out: Output): number {
  let pos = start;
  if (data.length - pos < 7) throw corrupt('frame header truncated');
  const magic = data.readUInt32LE(pos);
  if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
    if (data.length - pos < 8) throw corrupt('skippable frame truncated');
    const size = data.readUInt32LE(pos + 4);
    if (size > data.length - pos - 8) throw corrupt('skippable frame truncated');
    return pos + 8 + size;
  }
  if (magic !== FRAME_MAGIC) throw corrupt(`bad frame magic 0x${magic.toString(16)}`);
  pos += 4;
  const descriptorStart = pos;
  const flg = data[pos++];
  const bd = data[pos++];
  if ((flg & FLG_VERSION_MASK) !== FLG_VERSION_01)
    throw corrupt(`unsupported frame version ${(flg & FLG_VERSION_MASK) >> 6}`);
  if (flg & FLG_RESERVED || bd & 0x8f) throw corrupt('reserved descriptor bits set');
  if (flg & FLG_DICT_ID) throw corrupt('frames with a dictionary are not supported');
  const maxBlockSize = BLOCK_MAX_SIZES[(bd >> 4) & 0x07];
  if (maxBlockSize === undefined) throw corrupt(`bad block max size ${(bd >> 4) & 0x07}`);
  let contentSize = -1;
  if (flg & FLG_CONTENT_SIZE) {
    if (data.length - pos < 9) throw corrupt('frame header truncated');
    const high = data.readUInt32LE(pos + 4);
    // A content size past 4 GiB is not a Kafka batch; treat it as a hint only.
    contentSize = high === 0 ? data.readUInt32LE(pos) : -1;
    pos += 8;
  }
  if (data[pos] !== headerChecksum(data, descriptorStart, pos)) throw corrupt('header checksum mismatch');
  pos++;
  if (contentSize >= 0 && contentSize <= data.length * 256) out.reserve(contentSize);

  const contentStart = out.length;
  const blockChecksum = (flg & FLG_BLOCK_CHECKSUM) !== 0;
  while (true) {
    if (data.length - pos < 4) throw corrupt('block size truncated');
    const word = data.readUInt32LE(pos);
    pos += 4;
    if (word === 0) break; // end mark
    const size = (word & ~BLOCK_UNCOMPRESSED) >>> 0;
    if (size > maxBlockSize) throw corrupt(`block of ${size} bytes exceeds the frame's ${maxBlockSize}`);
    if (data.length - pos < size + (blockChecksum ? 4 : 0)) throw corrupt('block truncated');
    if (blockChecksum && data.readUInt32LE(pos + size) !== xxhash32(data, pos, pos + size)) {
      throw corrupt('block checksum mismatch');
    }
    if (word & BLOCK_UNCOMPRESSED) {
      out.reserve(size);
      out.buf.set(data.subarray(pos, pos + size), out.length);
      out.length += size;
    } else {
      // LZ4 expands at most ~255x; bounding the room keeps a bad block from allocating 4 MiB.
      const room = Math.min(maxBlockSize, size * 256 + 64);
      out.reserve(room);
      // Linked blocks may copy from the frame's earlier blocks; independent ones only from their own.
      const windowStart = flg & FLG_BLOCK_INDEPENDENCE ? out.length : contentStart;
      out.length = lz4DecodeBlock(data, pos, pos + size, out.buf, out.length, out.length + room, windowStart);
    }
    pos += size + (blockChecksum ? 4 : 0);
  }
  if (flg & FLG_CONTENT_CHECKSUM) {
    if (data.length - pos < 4) throw corrupt('content checksum truncated');
    if (data.readUInt32LE(pos) !== xxhash32(out.buf, contentStart, out.length))
      throw corrupt('content checksum mismatch');
    pos += 4;
  }
  if (contentSize >= 0 && out.length - contentStart !== contentSize) {
    throw corrupt(`content size is ${out.length - contentStart}, the header says ${contentSize}`);
  }
  return pos;
}

/**
 * Encodes `data` as one LZ4 frame as Kafka's Java producer does: independent 64 KiB blocks,
 * no checksums beyond the header's (the record batch CRC covers the bytes); a block that
 * does not shrink is stored uncompressed.
 */
export function lz4FrameCompress(data: Buffer): Buffer {
  const blocks = Math.ceil(data.length / WRITE_BLOCK_SIZE);
  const bound = 7 + blocks * (4 + compressBound(WRITE_BLOCK_SIZE)) + 4;
  const out = Buffer.allocUnsafe(bound);
  out.writeUInt32LE(FRAME_MAGIC, 0);
  out[4] = FLG_VERSION_01 | FLG_BLOCK_INDEPENDENCE;
  out[5] = WRITE_BD;
  out[6] = headerChecksum(out, 4, 6);
  let pos = 7;
  const hashTable = new Uint32Array(HASH_TABLE_SIZE);
  const scratch = new Uint8Array(compressBound(WRITE_BLOCK_SIZE));
  for (let start = 0; start < data.length; start += WRITE_BLOCK_SIZE) {
    const block = data.subarray(start, Math.min(start + WRITE_BLOCK_SIZE, data.length));
    hashTable.fill(0);
    const size = compressBlock(block, scratch, 0, block.length, hashTable);
    if (size > 0 && size < block.length) {
      out.writeUInt32LE(size, pos);
      out.set(scratch.subarray(0, size), pos + 4);
      pos += 4 + size;
    } else {
      out.writeUInt32LE((block.length | BLOCK_UNCOMPRESSED) >>> 0, pos);
      out.set(block, pos + 4);
      pos += 4 + block.length;
    }
  }
  out.writeUInt32LE(0, pos);
  return out.subarray(0, pos + 4);
}
