import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { decompress as fzstdDecompress } from 'fzstd';
import { KafkaRxError } from '../../../errors';
import { CorruptRecordError } from '../errors';

/*
 * libzstd compiled to WebAssembly, from the npm package `@bokuweb/zstd-wasm` (pinned to one
 * version in package.json). Only its `zstd.wasm` is used: Node compiles and instantiates
 * WebAssembly of any size synchronously, so `compress()` and `decompress()` stay synchronous;
 * the package's own JavaScript loader is asynchronous and is not loaded.
 *
 * The build minifies import and export names. The table below comes from that version's
 * loader (dist/common/zstd.js: `wasmImports` and `wasmExports[...]`); `instantiate` checks
 * the module against it and round-trips a sample through fzstd before first use, so a
 * different build fails loudly instead of writing wrong bytes.
 */
const PACKAGE = '@bokuweb/zstd-wasm';

/** Export name -> [meaning, parameter count]. */
const EXPORTS = {
  memory: 'f',
  callCtors: ['g', 0],
  isError: ['h', 1],
  compressBound: ['i', 1],
  createCCtx: ['j', 0],
  // ZSTD_compress_usingDict(cctx, dst, dstCapacity, src, srcSize, dict, dictSize, level):
  // with no dictionary it is ZSTD_compressCCtx, which the build does not export.
  compressUsingDict: ['l', 8],
  malloc: ['s', 1],
  free: ['t', 1],
  createDCtx: ['n', 0],
  // ZSTD_decompress_usingDict(dctx, dst, dstCapacity, src, srcSize, dict, dictSize): with no
  // dictionary it is ZSTD_decompressDCtx (every frame of src, one after the other).
  decompressUsingDict: ['q', 7],
} as const;

/** ZSTD_error_dstSize_tooSmall: the output did not fit in the capacity given. */
const DST_SIZE_TOO_SMALL = 70;

/** Imports the module declares (all in module 'a'): proc_exit, keepalive_clear, abort, setitimer, resize_heap. */
const IMPORT_NAMES = ['a', 'b', 'c', 'd', 'e'];

/** zstd's default level (ZSTD_CLEVEL_DEFAULT), which the Java client and librdkafka also use. */
const LEVEL = 3;
const HEAP_MAX = 2 ** 31;
const PAGE = 65536;

type WasmFn = (...args: number[]) => number;

// The WebAssembly API Node uses here; the project's lib (ES2022, no DOM) does not declare it.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmModule {
  readonly __brand: 'WebAssembly.Module';
}
interface WasmApi {
  Module: {
    new (bytes: Uint8Array): WasmModule;
    imports(module: WasmModule): { module: string; name: string; kind: string }[];
  };
  Instance: new (
    module: WasmModule,
    imports: Record<string, Record<string, (...args: number[]) => unknown>>,
  ) => { readonly exports: Record<string, unknown> };
  Memory: abstract new (...args: never[]) => WasmMemory;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A synchronous zstd codec backed by one WebAssembly instance. */
export interface ZstdWasm {
  /**
   * One zstd frame of `data` at level 3, content size in the header. Throws
   * KafkaRxError('CompressionFailed') on a libzstd error or a wasm trap; the instance should
   * then be dropped, as its heap may be inconsistent.
   */
  compress(data: Uint8Array): Buffer;
  /**
   * The frames of `data`, decoded into at most `capacity` bytes; undefined when they do not fit.
   * Throws a CorruptRecordError when libzstd refuses the data, KafkaRxError('CompressionFailed')
   * on a wasm trap (then drop the instance).
   */
  decompress(data: Uint8Array, capacity: number): Buffer | undefined;
}

/**
 * Compiles and instantiates the package's zstd.wasm synchronously and checks it.
 * Throws KafkaRxError('UnsupportedCompression') when the package is missing or not the expected build.
 */
export function instantiateZstdWasm(): ZstdWasm {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(dirname(require.resolve(PACKAGE)), 'zstd.wasm'));
  } catch (cause) {
    throw unsupported(`cannot read ${PACKAGE}'s zstd.wasm: ${(cause as Error).message}`, cause);
  }

  let module: WasmModule;
  try {
    module = new wasmApi.Module(bytes);
  } catch (cause) {
    throw unsupported(`${PACKAGE}'s zstd.wasm does not compile: ${(cause as Error).message}`, cause);
  }
  const imports = wasmApi.Module.imports(module);
  const expectedImports = IMPORT_NAMES.map((name) => `a.${name}:function`).join(',');
  const actualImports = imports.map((i) => `${i.module}.${i.name}:${i.kind}`).join(',');
  if (actualImports !== expectedImports) {
    throw unsupported(`${PACKAGE}'s zstd.wasm imports ${actualImports}, expected ${expectedImports}`);
  }

  // Filled in once instantiated: resize_heap needs the memory it grows.
  const heapRef: { memory?: WasmMemory } = {};
  const abort = (what: string): never => {
    throw failed(what);
  };
  const instance = new wasmApi.Instance(module, {
    a: {
      a: (code: number) => abort(`libzstd exited with status ${code}`),
      b: () => undefined,
      c: () => abort('libzstd aborted'),
      // Emscripten's runtime links an interval timer that libzstd never arms.
      d: () => 0,
      e: (requested: number) =>
        heapRef.memory === undefined ? 0 : growHeap(heapRef.memory, requested >>> 0),
    },
  });

  const exported = instance.exports;
  const memory = exported[EXPORTS.memory];
  if (!(memory instanceof wasmApi.Memory)) throw unsupported(`${PACKAGE}'s zstd.wasm exports no memory`);
  heapRef.memory = memory;
  const fn = (entry: readonly [string, number]): WasmFn => {
    const f = exported[entry[0]];
    if (typeof f !== 'function' || f.length !== entry[1]) {
      throw unsupported(
        `${PACKAGE}'s zstd.wasm export '${entry[0]}' is not the expected ${entry[1]}-argument function`,
      );
    }
    return f as WasmFn;
  };
  const wasm = {
    callCtors: fn(EXPORTS.callCtors),
    isError: fn(EXPORTS.isError),
    compressBound: fn(EXPORTS.compressBound),
    createCCtx: fn(EXPORTS.createCCtx),
    compressUsingDict: fn(EXPORTS.compressUsingDict),
    malloc: fn(EXPORTS.malloc),
    free: fn(EXPORTS.free),
    createDCtx: fn(EXPORTS.createDCtx),
    decompressUsingDict: fn(EXPORTS.decompressUsingDict),
  };
  wasm.callCtors();

  // One compression context for the instance's life: creating one per call costs more than
  // compressing a typical batch.
  const cctx = wasm.createCCtx();
  if (cctx === 0) throw unsupported('libzstd could not allocate a compression context');
  const dctx = wasm.createDCtx();
  if (dctx === 0) throw unsupported('libzstd could not allocate a decompression context');

  const compressFrame = (data: Uint8Array): Buffer => {
    const bound = wasm.compressBound(data.length) >>> 0;
    // malloc(0) may return 0; ask for at least one byte so 0 always means out of memory.
    const src = wasm.malloc(Math.max(data.length, 1));
    const dst = wasm.malloc(bound);
    try {
      if (src === 0 || dst === 0) throw failed(`out of wasm memory for ${data.length} bytes`);
      // The heap's ArrayBuffer changes when it grows: take a fresh view after every call into wasm.
      new Uint8Array(memory.buffer, src >>> 0, data.length).set(data);
      const written = wasm.compressUsingDict(cctx, dst, bound, src, data.length, 0, 0, LEVEL);
      if (wasm.isError(written) !== 0) throw failed(`libzstd error code ${-written}`);
      // Buffer.from(Uint8Array) copies out of the heap, which the next call reuses.
      return Buffer.from(new Uint8Array(memory.buffer, dst >>> 0, written >>> 0));
    } finally {
      if (dst !== 0) wasm.free(dst);
      if (src !== 0) wasm.free(src);
    }
  };
  const decompressFrames = (data: Uint8Array, capacity: number): Buffer | undefined => {
    const src = wasm.malloc(Math.max(data.length, 1));
    const dst = wasm.malloc(Math.max(capacity, 1));
    try {
      if (src === 0 || dst === 0) throw failed(`out of wasm memory for ${capacity} bytes`);
      new Uint8Array(memory.buffer, src >>> 0, data.length).set(data);
      const written = wasm.decompressUsingDict(dctx, dst, capacity, src, data.length, 0, 0);
      if (wasm.isError(written) !== 0) {
        if (-written === DST_SIZE_TOO_SMALL) return undefined;
        throw new CorruptRecordError(`zstd: libzstd error code ${-written}`);
      }
      return Buffer.from(new Uint8Array(memory.buffer, dst >>> 0, written >>> 0));
    } finally {
      if (dst !== 0) wasm.free(dst);
      if (src !== 0) wasm.free(src);
    }
  };
  // A trap (RuntimeError) can also come from the frees in a finally.
  const trapped = (cause: unknown): KafkaRxError =>
    cause instanceof KafkaRxError ? cause : failed(`wasm trap: ${(cause as Error).message}`, cause);
  const codec: ZstdWasm = {
    compress(data: Uint8Array): Buffer {
      try {
        return compressFrame(data);
      } catch (cause) {
        throw trapped(cause);
      }
    },
    decompress(data: Uint8Array, capacity: number): Buffer | undefined {
      try {
        return decompressFrames(data, capacity);
      } catch (cause) {
        throw trapped(cause);
      }
    },
  };

  selfCheck(codec);
  return codec;
}

/** Round-trips a sample through the codec and fzstd both ways: proves the export table fits this build. */
function selfCheck(codec: ZstdWasm): void {
  const sample = Buffer.from('kafka-rx zstd self-check 0123456789 '.repeat(64));
  let ok = false;
  try {
    const frame = codec.compress(sample);
    ok =
      frame.length < sample.length &&
      Buffer.from(fzstdDecompress(frame)).equals(sample) &&
      codec.decompress(frame, sample.length)?.equals(sample) === true &&
      codec.decompress(frame, sample.length - 1) === undefined;
  } catch (cause) {
    throw unsupported(`${PACKAGE}'s zstd.wasm failed its self-check: ${(cause as Error).message}`, cause);
  }
  if (!ok)
    throw unsupported(
      `${PACKAGE}'s zstd.wasm failed its self-check: the frame does not decode to the sample`,
    );
}

/** Emscripten's resize_heap: grows by at least 20% (bounded) to keep the number of grows small. */
function growHeap(memory: WasmMemory, requested: number): number {
  const old = memory.buffer.byteLength;
  if (requested > HEAP_MAX) return 0;
  for (const target of [Math.min(Math.max(requested, old * 1.2), requested + 96 * 2 ** 20), requested]) {
    const size = Math.min(HEAP_MAX, Math.ceil(target / PAGE) * PAGE);
    try {
      memory.grow(Math.ceil((size - old) / PAGE));
      return 1;
    } catch {
      // Fall through to the exact request.
    }
  }
  return 0;
}

function unsupported(message: string, cause?: unknown): KafkaRxError {
  return new KafkaRxError('UnsupportedCompression', `zstd compression: ${message}`, { cause });
}

function failed(message: string, cause?: unknown): KafkaRxError {
  return new KafkaRxError('CompressionFailed', `zstd compression failed: ${message}`, { cause });
}
