import * as zlib from 'node:zlib';
import { decompress as fzstdDecompress } from 'fzstd';
import { KafkaRxError } from '../../../errors';
import { instantiateZstdWasm, type ZstdWasmEncoder } from './zstd-wasm';

/** Decodes one or more zstd frames (fzstd, pure JavaScript). */
export function zstdDecompress(data: Buffer): Buffer {
  const out = fzstdDecompress(data);
  return Buffer.from(out.buffer, out.byteOffset, out.length);
}

type ZstdCompressSync = (data: Buffer) => Buffer;

// Node 22.15+ and 23.8+ ship zstd in node:zlib (native libzstd): used first where present.
const nativeZstdCompress = (zlib as unknown as { zstdCompressSync?: ZstdCompressSync }).zstdCompressSync;

// Elsewhere libzstd as WebAssembly, instantiated on first use (about 15 ms, once).
let wasmEncoder: ZstdWasmEncoder | undefined;
// A missing package or an unexpected build does not mend itself: keep the error, skip the retries.
let loadError: KafkaRxError | undefined;

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
  if (loadError !== undefined) throw loadError;
  try {
    wasmEncoder ??= instantiateZstdWasm();
  } catch (error) {
    loadError =
      error instanceof KafkaRxError
        ? error
        : new KafkaRxError('UnsupportedCompression', `zstd compression: ${String(error)}`, { cause: error });
    throw loadError;
  }
  try {
    return wasmEncoder.compress(data);
  } catch (error) {
    // After a libzstd error or a trap the heap may be inconsistent: start afresh next time.
    wasmEncoder = undefined;
    throw error instanceof KafkaRxError
      ? error
      : new KafkaRxError('CompressionFailed', `zstd compression failed: ${String(error)}`, { cause: error });
  }
}
