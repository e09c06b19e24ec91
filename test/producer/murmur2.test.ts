import { murmur2, toPositive } from '../../src/producer/murmur2';

// org.apache.kafka.common.utils.UtilsTest#testMurmur2: the Java client's own expected hashes.
const javaVectors: [string, number][] = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
];

describe('murmur2', () => {
  it.each(javaVectors)('hashes %j as the Java client does', (key, expected) => {
    expect(murmur2(Buffer.from(key, 'utf8'))).toBe(expected);
  });

  it('hashes raw bytes (a value generated with the JVM client 1.0.0)', () => {
    expect(murmur2(Uint8Array.from([12, 42, 56, 24, 109, 111]))).toBe(274204207);
  });

  it('toPositive clears the sign bit like Utils.toPositive', () => {
    expect(toPositive(-973932308)).toBe(1173551340);
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(479470107)).toBe(479470107);
  });
});
