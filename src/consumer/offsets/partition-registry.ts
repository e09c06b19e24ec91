import { defer, finalize, type MonoTypeOperatorFunction, type Observable, startWith, Subject } from 'rxjs';
import type { AckMode } from '../config';
import { tpKey } from '../topic-partition';
import type { AnyDeserializers } from '../deserialize-record';
import type { TopicPartition, TopicPartitionOffset, UndeserializedRecord } from '../types';
import { PartitionState } from './partition-state';

/**
 * The partitions this consumer owns, by key, with their signals: `taken$` (the application took a
 * record: the maxPollIntervalMs guard listens), `appended$` (fetched records were buffered) and
 * `demand$` (a partition may be fetched: the tick stream's fetch source).
 */
export class PartitionRegistry {
  private readonly partitions = new Map<string, PartitionState>();
  private readonly fetchable = new Subject<void>();
  readonly taken$ = new Subject<void>();
  readonly appended$ = new Subject<void>();

  /**
   * Emits when a partition may be fetched: on subscribing, if one may be fetched now (the tick
   * stream subscribes on entering `stable`); then whenever a buffer drops below its high-water
   * mark, a partition is resumed or sought, or positions resolved through `fetchWhenDone` are known.
   */
  readonly demand$: Observable<void> = defer(() =>
    this.all().some((p) => p.isFetchable()) ? this.fetchable.pipe(startWith(undefined)) : this.fetchable,
  );

  constructor(
    private readonly ackMode: AckMode,
    private readonly highWaterMark: number,
    private readonly deserializers?: AnyDeserializers,
    private readonly undeserializable?: (record: UndeserializedRecord) => void,
  ) {}

  add(tp: TopicPartition): PartitionState {
    const existing = this.partitions.get(tpKey(tp));
    if (existing) return existing;
    const state = new PartitionState(
      tp.topic,
      tp.partition,
      this.ackMode,
      this.highWaterMark,
      {
        taken: () => this.taken$.next(),
        appended: () => this.appended$.next(),
        roomFreed: () => this.fetchable.next(),
        undeserializable: this.undeserializable,
      },
      this.deserializers,
    );
    this.partitions.set(tpKey(tp), state);
    return state;
  }

  /**
   * For a stream that sets positions (committed offsets, resets): when it ends, what it positioned
   * may be fetched, all at once so that one Fetch carries them.
   */
  fetchWhenDone<T>(): MonoTypeOperatorFunction<T> {
    return finalize(() => this.fetchable.next());
  }

  get(tp: TopicPartition): PartitionState | undefined {
    return this.partitions.get(tpKey(tp));
  }

  /** Removes and revokes these partitions (their streams complete). */
  revoke(tps: readonly TopicPartition[]): PartitionState[] {
    const removed: PartitionState[] = [];
    for (const tp of tps) {
      const state = this.partitions.get(tpKey(tp));
      if (!state) continue;
      this.partitions.delete(tpKey(tp));
      state.revoke();
      removed.push(state);
    }
    return removed;
  }

  all(): PartitionState[] {
    return [...this.partitions.values()];
  }

  /** What to commit: the consumed offset of each given partition (all owned ones by default) that has one. */
  consumedOffsets(tps?: readonly TopicPartition[]): TopicPartitionOffset[] {
    const states = tps
      ? tps.map((tp) => this.get(tp)).filter((s): s is PartitionState => s !== undefined)
      : this.all();
    return states
      .filter((s) => s.consumed !== null)
      .map((s) => ({ topic: s.topic, partition: s.partition, offset: s.consumed as bigint }));
  }

  /** Records are waiting for the application in some partition. */
  waiting(): boolean {
    for (const s of this.partitions.values()) if (s.isWaiting()) return true;
    return false;
  }
}
