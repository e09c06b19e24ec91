/**
 * Splits a byte stream into Kafka frames: a 4-byte big-endian size, then that many bytes.
 * A frame lying inside one chunk is returned as a view of it (no copy). A frame spread over
 * several chunks is copied once, as its chunks arrive, into a buffer of the announced size:
 * the chunks are dropped at once rather than held until the frame is complete, so a large
 * Fetch response costs its own size in memory, not twice that, and linear time.
 */
export class FrameReader {
  /** Bytes of the stream not yet part of a frame (at most a size prefix and a partial frame start). */
  private rest: Buffer = EMPTY;
  /** The frame being filled, once its size is known and its bytes span chunks. */
  private frame: Buffer | null = null;
  private filled = 0;

  /** @param maxFrameBytes frames announced larger than this are refused (garbage, or a TLS/plain mix-up). */
  constructor(private readonly maxFrameBytes: number = 512 * 1024 * 1024) {}

  /**
   * Takes the next chunk of the stream and returns the frames it completes (without their size
   * prefix), in order. Throws a `RangeError` on an impossible size; the stream is then unusable.
   */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    let data = chunk;
    if (this.frame !== null) {
      const frame = this.frame;
      const used = Math.min(frame.length - this.filled, data.length);
      data.copy(frame, this.filled, 0, used);
      this.filled += used;
      if (this.filled < frame.length) return frames;
      frames.push(frame);
      this.frame = null;
      data = data.subarray(used);
    }
    if (this.rest.length > 0) {
      data = data.length === 0 ? this.rest : Buffer.concat([this.rest, data]);
      this.rest = EMPTY;
    }
    let pos = 0;
    while (data.length - pos >= 4) {
      const size = data.readInt32BE(pos);
      if (size < 0 || size > this.maxFrameBytes) {
        throw new RangeError(`frame size ${size} outside 0..${this.maxFrameBytes}`);
      }
      const start = pos + 4;
      if (data.length - start >= size) {
        frames.push(data.subarray(start, start + size));
        pos = start + size;
        continue;
      }
      // The frame goes on in later chunks: fill a buffer of its own from here.
      const frame = Buffer.allocUnsafe(size);
      this.filled = data.copy(frame, 0, start);
      this.frame = frame;
      return frames;
    }
    // Fewer than 4 bytes: part of the next size prefix, kept (copied: a few bytes) for the next chunk.
    if (pos < data.length) this.rest = Buffer.from(data.subarray(pos));
    return frames;
  }

  /** Bytes received but not yet returned as a frame (for tests and diagnostics). */
  get pendingBytes(): number {
    return this.rest.length + (this.frame !== null ? 4 + this.filled : 0);
  }
}

const EMPTY = Buffer.alloc(0);
