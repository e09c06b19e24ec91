import { crc32c } from '../../../src/protocol/records';

// Check values: the CRC catalogue's "123456789" and the iSCSI vectors of RFC 3720 B.4.
describe('crc32c', () => {
  it('gives the catalogue check value for "123456789"', () => {
    expect(crc32c(Buffer.from('123456789', 'ascii'))).toBe(0xe3069283);
  });

  it('gives the RFC 3720 values for 32 bytes of zeros, of ones, and incrementing', () => {
    expect(crc32c(Buffer.alloc(32, 0x00))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c);
  });

  it('covers only [start, end) and handles every tail length', () => {
    const data = Buffer.from('xx123456789yy', 'ascii');
    expect(crc32c(data, 2, 11)).toBe(0xe3069283);
    // Each prefix goes through a different mix of the 8-byte loop and the byte loop.
    const text = Buffer.from('The quick brown fox jumps over the lazy dog', 'ascii');
    expect(crc32c(text)).toBe(0x22620404);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });
});
