import type { Observable } from 'rxjs';

/**
 * A duplex channel of Kafka frames to one broker: what a `Connection` runs over. The TCP
 * transport makes one from a socket, the memory transport from a `FrameHandler`.
 */
export interface FrameChannel {
  /**
   * Frames received (without their size prefix), in order. Hot: subscribed to once, at once.
   * Completes when the peer closes the channel, errors when it fails.
   */
  readonly frames$: Observable<Buffer>;
  /** Sends one frame, its 4-byte size prefix included: one buffer, or its pieces in order. */
  write(frame: Buffer | readonly Buffer[]): void;
  /** Closes the channel; `frames$` completes. */
  close(): void;
}
