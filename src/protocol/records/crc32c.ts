/** CRC-32C (Castagnoli), reflected polynomial, as used by record batches v2. */
const POLYNOMIAL = 0x82f63b78;

// Slicing-by-8: eight 256-entry tables let the loop fold eight bytes per step.
const TABLES = buildTables();

function buildTables(): Int32Array {
  const tables = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    tables[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[n];
    for (let t = 1; t < 8; t++) {
      c = tables[c & 0xff] ^ (c >>> 8);
      tables[t * 256 + n] = c;
    }
  }
  return tables;
}

/**
 * CRC-32C of `buf[start, end)`, as an unsigned 32-bit number.
 *
 * @example crc32c(Buffer.from('123456789')) === 0xe3069283
 */
export function crc32c(buf: Uint8Array, start = 0, end = buf.length): number {
  const t = TABLES;
  let crc = -1;
  let i = start;
  const end8 = end - 8;
  while (i <= end8) {
    const a = crc ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24));
    crc =
      t[1792 + (a & 0xff)] ^
      t[1536 + ((a >>> 8) & 0xff)] ^
      t[1280 + ((a >>> 16) & 0xff)] ^
      t[1024 + (a >>> 24)] ^
      t[768 + buf[i + 4]] ^
      t[512 + buf[i + 5]] ^
      t[256 + buf[i + 6]] ^
      t[buf[i + 7]];
    i += 8;
  }
  while (i < end) crc = t[(crc ^ buf[i++]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

// Give both loops and the unsigned result their type feedback before any batch arrives. V8
// collects feedback only from a function's ninth call or so; a first call on a long batch gets
// optimized mid-loop (on-stack replacement) with none for the tail loop and the result, and that
// code then bailed out about once per batch for the rest of the run (a thousand times over 1M
// records), running the checksum in the interpreter in between.
const WARM_UP = Buffer.from('123456789abcdefghijklmnopqrstuvw');
for (let i = 0; i < 32; i++) crc32c(WARM_UP, i % 5, WARM_UP.length - (i % 7));
