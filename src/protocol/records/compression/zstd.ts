import * as zlib from 'node:zlib';
import { decompress as fzstdDecompress } from 'fzstd';
import { KafkaRxError } from '../../../errors';
import { CorruptRecordError } from '../errors';
import { instantiateZstdWasm, type ZstdWasm } from './zstd-wasm';

const FRAME_MAGIC = 0xfd2fb528;
/** A zstd block of at most 128 KiB takes at least 4 bytes (an RLE block): no frame expands more. */
const MAX_EXPANSION = 32768;
/** Larger outputs go to fzstd: the WebAssembly heap never shrinks once grown. */
const WASM_MAX_OUTPUT = 64 * 1024 * 1024;
/**
 * The output room first tried for frames that do not declare their size (the Java producer's,
 * librdkafka's): a producer batch's worth at least; then four times more, up to WASM_MAX_OUTPUT.
 */
const GUESS_MIN = 1024 * 1024;
const GUESS_MAX = 8 * 1024 * 1024;

/**
 * The content size the first frame's header declares (RFC 8878, 3.1.1.1), or -1 when it
 * declares none (or is no zstd frame: the decoder then says what is wrong).
 */
export function zstdContentSize(data: Uint8Array): number {
  if (data.length < 6) return -1;
  const magic = (data[0] | (data[1] << 8) | (data[2] << 16) | (data[3] << 24)) >>> 0;
  if (magic !== FRAME_MAGIC) return -1;
  const descriptor = data[4];
  const singleSegment = (descriptor >> 5) & 1;
  const fcsFlag = descriptor >> 6;
  const fcsBytes = fcsFlag === 0 ? singleSegment : [0, 2, 4, 8][fcsFlag];
  if (fcsBytes === 0) return -1;
  const at = 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][descriptor & 3];
  if (data.length < at + fcsBytes) return -1;
  let size = 0;
  for (let i = fcsBytes - 1; i >= 0; i--) size = size * 256 + data[at + i];
  return fcsBytes === 2 ? size + 256 : size;
}

/**
 * Decodes one or more zstd frames: with libzstd as WebAssembly (about ten times fzstd's speed,
 * see bench/codecs.ts) when it loads and the output has a known bound, else with fzstd (pure
 * JavaScript). A declared size is checked against what the input can hold before any room is
 * allocated for it.
 */
export function zstdDecompress(data: Buffer): Buffer {
  const declared = zstdContentSize(data);
  if (declared > data.length * MAX_EXPANSION + 64)
    throw new CorruptRecordError(`zstd: content size ${declared} is impossible for ${data.length} bytes`);
  const codec = loadWasm();
  if (codec !== undefined && declared <= WASM_MAX_OUTPUT) {
    if (declared >= 0) {
      // Undefined: more than declared (more frames follow): fzstd takes them all.
      const out = codec.decompress(data, declared);
      if (out !== undefined) return out;
    } else {
      for (let room = Math.min(GUESS_MAX, Math.max(GUESS_MIN, data.length * 64)); ; room *= 4) {
        const out = codec.decompress(data, Math.min(room, WASM_MAX_OUTPUT));
        if (out !== undefined) return out;
        if (room >= WASM_MAX_OUTPUT) break;
      }
    }
  }
  const out = fzstdDecompress(data);
  return Buffer.from(out.buffer, out.byteOffset, out.length);
}

type ZstdCompressSync = (data: Buffer) => Buffer;

// Node 22.15+ and 23.8+ ship zstd in node:zlib (native libzstd): used first where present to
// encode. Not to decode: Node 22's zstdDecompressSync returns the first of concatenated frames
// alone, and what it could read of a truncated frame, without an error (Node 24's does not).
const nativeZstdCompress = (zlib as { zstdCompressSync?: ZstdCompressSync }).zstdCompressSync;
/** Whether this runtime's node:zlib encodes zstd (Node 22.15+, 23.8+). */
export const zstdInNodeZlib = nativeZstdCompress !== undefined;

// Elsewhere libzstd as WebAssembly, instantiated on first use (about 15 ms, once).
let wasmCodec: ZstdWasm | undefined;
// A missing package or an unexpected build does not mend itself: keep the error, skip the retries.
let loadError: KafkaRxError | undefined;

/** The WebAssembly codec, instantiated on first use; undefined when it cannot be loaded. */
function loadWasm(): ZstdWasm | undefined {
  if (loadError !== undefined) return undefined;
  try {
    wasmCodec ??= instantiateZstdWasm();
  } catch (error) {
    loadError =
      error instanceof KafkaRxError
        ? error
        : new KafkaRxError('UnsupportedCompression', `zstd compression: ${String(error)}`, { cause: error });
    return undefined;
  }
  return wasmCodec;
}

/**
 * Encodes one zstd frame at level 3 (the Java client's and librdkafka's default): with
 * node:zlib where the runtime has zstd, otherwise with libzstd compiled to WebAssembly.
 * Synchronous on every Node version. Throws KafkaRxError('UnsupportedCompression') when the
 * WebAssembly encoder cannot be loaded, KafkaRxError('CompressionFailed') on an encoder error.
 */
export function zstdCompress(data: Buffer): Buffer {
  if (nativeZstdCompress !== undefined) return nativeZstdCompress(data);
  return zstdCompressWasm(data);
}

/** The WebAssembly encoder alone, whatever the runtime has (for tests and benchmarks). */
export function zstdCompressWasm(data: Buffer): Buffer {
  const codec = loadWasm();
  if (codec === undefined) throw loadError!;
  try {
    return codec.compress(data);
  } catch (error) {
    // After a libzstd error or a trap the heap may be inconsistent: start afresh next time.
    wasmCodec = undefined;
    throw error instanceof KafkaRxError
      ? error
      : new KafkaRxError('CompressionFailed', `zstd compression failed: ${String(error)}`, { cause: error });
  }
}
