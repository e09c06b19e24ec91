/**
 * Splits a byte stream into Kafka frames: a 4-byte big-endian size, then that many bytes.
 * Chunks are kept as a list and each frame is copied at most once (not at all when it lies
 * inside one chunk), so a large frame arriving in many small chunks costs linear time.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  /** Index of the first unread chunk (shifting an array per chunk would be quadratic). */
  private head = 0;
  private buffered = 0;
  /** Size of the frame being read, once its prefix is in; -1 while waiting for a prefix. */
  private frameSize = -1;

  /** @param maxFrameBytes frames announced larger than this are refused (garbage, or a TLS/plain mix-up). */
  constructor(private readonly maxFrameBytes: number = 512 * 1024 * 1024) {}

  /**
   * Takes the next chunk of the stream and returns the frames it completes (without their size
   * prefix), in order. Throws a `RangeError` on an impossible size; the stream is then unusable.
   */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    while (true) {
      if (this.frameSize < 0) {
        if (this.buffered < 4) break;
        const size = this.take(4).readInt32BE(0);
        if (size < 0 || size > this.maxFrameBytes) {
          throw new RangeError(`frame size ${size} outside 0..${this.maxFrameBytes}`);
        }
        this.frameSize = size;
      }
      if (this.buffered < this.frameSize) break;
      frames.push(this.take(this.frameSize));
      this.frameSize = -1;
    }
    return frames;
  }

  /** Bytes received but not yet returned as a frame (for tests and diagnostics). */
  get pendingBytes(): number {
    return this.buffered + (this.frameSize >= 0 ? 4 : 0);
  }

  /** Removes `n` buffered bytes from the front: a view when one chunk holds them, else one copy. */
  private take(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[this.head];
    if (first.length >= n) {
      this.consume(first, n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[this.head];
      const used = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, used);
      filled += used;
      this.consume(chunk, used);
    }
    return out;
  }

  private consume(chunk: Buffer, used: number): void {
    if (used < chunk.length) {
      this.chunks[this.head] = chunk.subarray(used);
      return;
    }
    this.head++;
    if (this.head === this.chunks.length) {
      this.chunks = [];
      this.head = 0;
    } else if (this.head >= 1024) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }
}
