// Type declarations for the two codec packages that ship none (only what kafka-rx, its tests and benchmarks call).

declare module 'lz4js' {
  /** Decodes one LZ4 block `src[sIndex, sIndex + sLength)` into `dst` from `dIndex`; returns the end index in `dst`. */
  export function decompressBlock(
    src: Uint8Array,
    dst: Uint8Array,
    sIndex: number,
    sLength: number,
    dIndex: number,
  ): number;
  /** Encodes `src[sIndex, sIndex + sLength)` as one LZ4 block into `dst` from 0; returns its size, or 0 when nothing matched. */
  export function compressBlock(
    src: Uint8Array,
    dst: Uint8Array,
    sIndex: number,
    sLength: number,
    hashTable: Uint32Array,
  ): number;
  /** Upper bound of a block's compressed size. */
  export function compressBound(n: number): number;
}

declare module 'snappyjs' {
  /** Encodes raw snappy. */
  export function compress<T extends Uint8Array>(uncompressed: T): T;
  /** Decodes raw snappy (the reference the benchmarks and tests compare with). */
  export function uncompress<T extends Uint8Array>(compressed: T): T;
}
