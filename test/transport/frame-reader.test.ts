import { FrameReader } from '../../src/transport/frame-reader';

function framed(...bodies: Buffer[]): Buffer {
  return Buffer.concat(
    bodies.flatMap((body) => {
      const size = Buffer.alloc(4);
      size.writeInt32BE(body.length);
      return [size, body];
    }),
  );
}

describe('FrameReader', () => {
  const a = Buffer.from('correlation-and-body-A');
  const b = Buffer.from('B');
  const empty = Buffer.alloc(0);

  it('returns several frames merged within one chunk, in order', () => {
    const reader = new FrameReader();
    expect(reader.push(framed(a, b, empty, a))).toEqual([a, b, empty, a]);
    expect(reader.pendingBytes).toBe(0);
  });

  it('assembles frames split at every possible byte boundary', () => {
    const stream = framed(a, b, a);
    for (let cut = 1; cut < stream.length; cut++) {
      const reader = new FrameReader();
      const frames = [...reader.push(stream.subarray(0, cut)), ...reader.push(stream.subarray(cut))];
      expect(frames).toEqual([a, b, a]);
    }
  });

  it('assembles a stream fed one byte at a time, size prefix included', () => {
    const reader = new FrameReader();
    const stream = framed(a, b);
    const frames: Buffer[] = [];
    for (const byte of stream) frames.push(...reader.push(Buffer.from([byte])));
    expect(frames).toEqual([a, b]);
  });

  it('returns a frame lying inside one chunk as a view, without copying', () => {
    const chunk = framed(a, b);
    const [first, second] = new FrameReader().push(chunk);
    expect(first.buffer).toBe(chunk.buffer);
    expect(second.buffer).toBe(chunk.buffer);
  });

  it('assembles a large frame from many small chunks', () => {
    const big = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
    const stream = framed(big, b);
    const reader = new FrameReader();
    const frames: Buffer[] = [];
    for (let at = 0; at < stream.length; at += 1000)
      frames.push(...reader.push(stream.subarray(at, at + 1000)));
    expect(frames).toHaveLength(2);
    expect(frames[0].equals(big)).toBe(true);
    expect(frames[1]).toEqual(b);
  });

  it('copies a frame spread over chunks as they arrive, holding no chunk until it is complete', () => {
    const reader = new FrameReader();
    const stream = framed(a);
    const first = Buffer.from(stream.subarray(0, 7));
    expect(reader.push(first)).toEqual([]);
    first.fill(0); // a chunk the reader still held would now spoil the frame
    expect(reader.pendingBytes).toBe(7);
    expect(reader.push(Buffer.from(stream.subarray(7)))).toEqual([a]);
    expect(reader.pendingBytes).toBe(0);
  });

  it('waits for the rest of a frame and reports what is pending', () => {
    const reader = new FrameReader();
    const stream = framed(a);
    expect(reader.push(stream.subarray(0, 10))).toEqual([]);
    expect(reader.pendingBytes).toBe(10);
    expect(reader.push(stream.subarray(10))).toEqual([a]);
  });

  it('refuses a negative or oversized frame size', () => {
    expect(() => new FrameReader().push(Buffer.from([0xff, 0xff, 0xff, 0xfe]))).toThrow(RangeError);
    // "HTTP" read as a size: what a plain client sees from a non-Kafka port.
    expect(() => new FrameReader(1024).push(Buffer.from('HTTP/1.1 400'))).toThrow(/frame size 1213486160/);
  });
});
