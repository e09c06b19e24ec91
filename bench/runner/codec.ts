/** The codecs a benchmark's topic or producer can use (`--compression`), as Kafka names them. */
export const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type Codec = (typeof CODECS)[number];
