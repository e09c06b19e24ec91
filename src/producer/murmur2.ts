/**
 * Kafka's 32-bit murmur2 hash (`org.apache.kafka.common.utils.Utils.murmur2`): seed 0x9747b28c,
 * little-endian 4-byte words. The Java client's partitioner, librdkafka's `murmur2_random` and
 * kcat's `-X partitioner=murmur2` all use it, so a key lands on the same partition from any of them.
 *
 * @param length hashes `data`'s first `length` bytes (all of it by default), so a key written into
 *   a scratch buffer needs no view of its own.
 * @returns the hash as a signed 32-bit integer, as Java returns it.
 */
export function murmur2(data: Uint8Array, length: number = data.length): number {
  const m = 0x5bd1e995;
  let h = (0x9747b28c ^ length) | 0;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  // Java's switch on the remaining 1-3 bytes falls through from 3 down to 1.
  const rest = length & 3;
  if (rest >= 3) h ^= data[whole + 2] << 16;
  if (rest >= 2) h ^= data[whole + 1] << 8;
  if (rest >= 1) {
    h ^= data[whole];
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** Java's `Utils.toPositive`: clears the sign bit (not `Math.abs`, which overflows on MIN_VALUE). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}
