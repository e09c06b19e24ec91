import { Subject, type Subscription, timer } from 'rxjs';
import { type Clock, now } from '../time/clock';
import { drainLoop } from './drain-loop';
import { withoutConsumed } from './without-consumed';
import type { ProducerMetadata } from './producer-metadata';

/** A send whose records wait for their topics' metadata, and for room, before they are placed in batches. */
export interface QueuedSend {
  readonly topics: readonly string[];
  /**
   * Places what it can of the records (their topics are known now) and says whether all are
   * placed; false means it stopped for want of room in `bufferMemory`, and is called again when
   * room is freed. May throw before placing any, e.g. a partition out of range.
   */
  readonly append: () => boolean;
  /** The send failed before all its records were placed. */
  readonly fail: (error: unknown) => void;
  /**
   * Set by the queue: clock time at which it fails if still waiting (on the send itself, so a
   * queued send is one object, not a copy).
   */
  deadline?: number;
}

type Entry = QueuedSend & { deadline: number };

/**
 * Sends in call order, so two sends to a partition keep their order even when the first waits
 * for metadata (Kafka's `waitOnMetadata`). Each waits at most `maxBlockMs` on the clock, then fails
 * naming why its topics are missing. Deadlines come in call order, so one timer, for the oldest
 * send, serves them all. The queue is drained in a loop (`drainLoop`), never by recursion: thousands of sends
 * queued behind one metadata lookup are placed in one go. A send that finds no room in
 * `bufferMemory` stops the queue until `resume()`; at `maxBlockMs` it fails as `exhausted()` says.
 */
export class SendQueue {
  /** Waiting sends from `head` on (an index, not `shift()`: shifting a long array costs its length). */
  private queue: Entry[] = [];
  private head = 0;
  private lookup: Subscription | undefined;
  private deadlineTimer: Subscription | undefined;
  private timed: Entry | undefined;
  /** Emits whenever the queue has become empty. */
  readonly empty$ = new Subject<void>();

  constructor(
    private readonly metadata: ProducerMetadata,
    private readonly clock: Clock,
    private readonly maxBlockMs: number,
    /** The error of a send that waited `maxBlockMs` for room in `bufferMemory`. */
    private readonly exhausted: () => unknown,
  ) {}

  get size(): number {
    return this.queue.length - this.head;
  }

  add(send: QueuedSend): void {
    send.deadline = now(this.clock) + this.maxBlockMs;
    this.queue.push(send as Entry);
    this.drain();
  }

  /** Room was freed in `bufferMemory`: a send waiting for it may go on. */
  resume(): void {
    if (this.size > 0 && !this.lookup) this.drain();
  }

  /** Fails every waiting send with `error` (close gave up on them). */
  failAll(error: unknown): void {
    this.stopLookup();
    const waiting = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    this.arm();
    for (const entry of waiting) entry.fail(error);
    this.empty$.next();
  }

  /** The oldest send's `maxBlockMs` has passed. */
  private expire(entry: Entry): void {
    if (this.queue[this.head] !== entry) return;
    this.shift();
    this.stopLookup();
    const missing = this.metadata.missing(entry.topics);
    entry.fail(missing.length > 0 ? this.metadata.blockedError(missing, this.maxBlockMs) : this.exhausted());
    this.drain();
  }

  /** Places waiting sends, in order, until one waits (metadata, room) or none is left. */
  private readonly drain = drainLoop(
    () => this.place(),
    () => {
      this.arm();
      if (this.size === 0) this.empty$.next();
    },
  );

  private place(): void {
    while (this.size > 0 && !this.lookup) {
      const head = this.queue[this.head];
      const missing = this.metadata.missing(head.topics);
      if (missing.length > 0) {
        this.await(head, missing);
        continue;
      }
      let placedAll: boolean;
      try {
        placedAll = head.append();
      } catch (error) {
        if (this.queue[this.head] === head) this.shift();
        head.fail(error);
        continue;
      }
      // Waits for room: resume() drains again.
      if (!placedAll) return;
      if (this.queue[this.head] === head) this.shift();
    }
  }

  /** Waits for the head's metadata; an answer (or a refusal) drains the queue again. */
  private await(head: Entry, missing: readonly string[]): void {
    let done = false;
    const lookup = this.metadata.ensure(missing).subscribe({
      complete: () => {
        done = true;
        this.lookup = undefined;
        this.drain();
      },
      error: (error: unknown) => {
        done = true;
        this.lookup = undefined;
        if (this.queue[this.head] === head) {
          this.shift();
          head.fail(error);
        }
        this.drain();
      },
    });
    if (!done) this.lookup = lookup;
  }

  private stopLookup(): void {
    this.lookup?.unsubscribe();
    this.lookup = undefined;
  }

  /** Keeps the deadline timer on the oldest waiting send. */
  private arm(): void {
    const oldest = this.size > 0 ? this.queue[this.head] : undefined;
    if (oldest === this.timed) return;
    this.deadlineTimer?.unsubscribe();
    this.timed = oldest;
    this.deadlineTimer =
      oldest &&
      timer(Math.max(0, oldest.deadline - now(this.clock)), this.clock).subscribe(() => this.expire(oldest));
  }

  private shift(): Entry {
    const entry = this.queue[this.head++];
    const waiting = withoutConsumed(this.queue, this.head);
    if (waiting !== this.queue) [this.queue, this.head] = [waiting, 0];
    return entry;
  }
}
