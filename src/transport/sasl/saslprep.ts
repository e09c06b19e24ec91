/* eslint-disable no-misleading-character-class -- the tables are matched one code point at a time */
/**
 * SASLprep (RFC 4013, the stringprep profile RFC 5802 asks SCRAM to apply to user names and
 * passwords): non-ASCII spaces become spaces, "commonly mapped to nothing" characters go, the
 * result is NFKC-normalized, then prohibited characters and broken bidirectional text are refused.
 * Unassigned code points are let through, as RFC 4013 allows for queries. Throws a `TypeError`
 * naming the reason (never the string itself: it may be a password).
 *
 * Tables are RFC 3454's. Its LCat table (D.2) is approximated by Unicode's letters and spacing
 * marks, which are left-to-right unless they are in the RandALCat table (D.1), taken as is.
 */
export function saslprep(input: string): string {
  const mapped = Array.from(input, (c) =>
    NON_ASCII_SPACE.test(c) ? ' ' : MAPPED_TO_NOTHING.test(c) ? '' : c,
  )
    .join('')
    .normalize('NFKC');
  const chars = Array.from(mapped);
  const prohibited = chars.findIndex((c) => PROHIBITED.some((table) => table.test(c)));
  if (prohibited >= 0)
    throw new TypeError(
      `it holds a character SASLprep prohibits (U+${chars[prohibited].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} at ${prohibited})`,
    );
  if (chars.some(isRandAL)) {
    if (chars.some(isL)) throw new TypeError('it mixes right-to-left and left-to-right text');
    if (!isRandAL(chars[0]) || !isRandAL(chars[chars.length - 1]))
      throw new TypeError('right-to-left text must begin and end with a right-to-left character');
  }
  return mapped;
}

/** C.1.2 */
const NON_ASCII_SPACE = /[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000]/u;
/** B.1 */
const MAPPED_TO_NOTHING = /[\u00ad\u034f\u1806\u180b-\u180d\u200b-\u200d\u2060\ufe00-\ufe0f\ufeff]/u;
/** C.1.2 (after mapping, only what NFKC brings back), C.2.1, C.2.2, C.3 to C.9. */
const PROHIBITED = [
  NON_ASCII_SPACE,
  // eslint-disable-next-line no-control-regex -- C.2.1 is the ASCII controls
  /[\u0000-\u001f\u007f]/u,
  /[\u0080-\u009f\u06dd\u070f\u180e\u200c\u200d\u2028\u2029\u2060-\u2063\u206a-\u206f\ufeff\ufff9-\ufffc\u{1d173}-\u{1d17a}]/u,
  /[\ue000-\uf8ff\u{f0000}-\u{ffffd}\u{100000}-\u{10fffd}]/u,
  /[\ufdd0-\ufdef\ufffe\uffff]|[\u{1fffe}-\u{1ffff}\u{2fffe}-\u{2ffff}\u{3fffe}-\u{3ffff}\u{4fffe}-\u{4ffff}\u{5fffe}-\u{5ffff}\u{6fffe}-\u{6ffff}\u{7fffe}-\u{7ffff}\u{8fffe}-\u{8ffff}\u{9fffe}-\u{9ffff}\u{afffe}-\u{affff}\u{bfffe}-\u{bffff}\u{cfffe}-\u{cffff}\u{dfffe}-\u{dffff}\u{efffe}-\u{effff}\u{ffffe}-\u{fffff}\u{10fffe}-\u{10ffff}]/u,
  /[\ud800-\udfff]/u,
  /[\ufff9-\ufffd]/u,
  /[\u2ff0-\u2ffb]/u,
  /[\u0340\u0341\u200e\u200f\u202a-\u202e\u206a-\u206f]/u,
  /[\u{e0001}\u{e0020}-\u{e007f}]/u,
];
/** D.1: characters with bidirectional property R or AL. */
const RAND_AL =
  /[\u05be\u05c0\u05c3\u05d0-\u05ea\u05f0-\u05f4\u061b\u061f\u0621-\u063a\u0640-\u064a\u066d-\u066f\u0671-\u06d5\u06dd\u06e5\u06e6\u06fa-\u06fe\u0700-\u070d\u0710\u0712-\u072c\u0780-\u07a5\u07b1\u200f\ufb1d\ufb1f-\ufb28\ufb2a-\ufb36\ufb38-\ufb3c\ufb3e\ufb40\ufb41\ufb43\ufb44\ufb46-\ufbb1\ufbd3-\ufd3d\ufd50-\ufd8f\ufd92-\ufdc7\ufdf0-\ufdfc\ufe70-\ufe74\ufe76-\ufefc]/u;
const LETTER = /[\p{L}\p{Mc}]/u;

function isRandAL(c: string): boolean {
  return RAND_AL.test(c);
}

function isL(c: string): boolean {
  return !RAND_AL.test(c) && LETTER.test(c);
}
