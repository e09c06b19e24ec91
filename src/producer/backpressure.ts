import type { Observable } from 'rxjs';
import type { Producer } from './types';

/** What the `produce` operator asks of a producer to take values only as fast as it has room for them. */
export interface Backpressure {
  /** Sends are waiting to be placed: for room in `bufferMemory`, or for their topics' metadata. */
  readonly blocked: () => boolean;
  /** Emits whenever no send is waiting any more. */
  readonly unblocked$: Observable<void>;
  /** Bytes of `bufferMemory` not held by records now. */
  readonly room: () => number;
}

// Kept beside the producer rather than on it: not part of the `Producer` interface users implement.
const registry = new WeakMap<Producer, Backpressure>();

/** Makes `backpressure` what `backpressureOf(producer)` answers. */
export function registerBackpressure(producer: Producer, backpressure: Backpressure): void {
  registry.set(producer, backpressure);
}

/** The producer's backpressure; undefined for a `Producer` made elsewhere (e.g. a test double). */
export function backpressureOf(producer: Producer): Backpressure | undefined {
  return registry.get(producer);
}
