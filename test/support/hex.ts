/** Bytes written as hex in a test, spaced as the protocol's fields are: `hex('0003 677270')`. */
export const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** A string's bytes as hex, to splice into `hex(...)`. */
export const ascii = (s: string): string => Buffer.from(s).toString('hex');
