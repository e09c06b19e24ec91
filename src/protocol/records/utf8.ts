/**
 * UTF-8 byte length and writing of record strings (keys, short values, header names), with a
 * loop of our own for short ASCII strings: `Buffer.byteLength` and `buf.write` cross into C++
 * and check their arguments on every call, which for a key like `k123` costs more than the
 * bytes themselves (about 1 µs per record on the send path). Anything else goes to Buffer.
 */

/** Strings up to this many characters are looked at in JavaScript first. */
const SHORT = 64;

/** Bytes of `text` as UTF-8. */
export function utf8Length(text: string): number {
  const length = text.length;
  if (length > SHORT) return Buffer.byteLength(text, 'utf8');
  for (let i = 0; i < length; i++) if (text.charCodeAt(i) >= 0x80) return Buffer.byteLength(text, 'utf8');
  return length;
}

/** Writes `text` as UTF-8 at `pos` of `out`, which has room for it; returns the end. */
export function writeUtf8(out: Uint8Array, pos: number, text: string): number {
  const length = text.length;
  if (length <= SHORT) {
    let i = 0;
    for (; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) break;
      out[pos + i] = code;
    }
    if (i === length) return pos + length;
  }
  const buffer = Buffer.isBuffer(out) ? out : Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  return pos + buffer.write(text, pos, 'utf8');
}
