import type { RecordsLag } from '../consumer/types';

/** Records and bytes over one interval, and as rates. */
export interface Throughput {
  readonly records: number;
  readonly bytes: number;
  readonly recordsPerSecond: number;
  readonly bytesPerSecond: number;
}

/** Requests of one API completed in the interval. */
export interface RequestLatency {
  readonly count: number;
  /** Of `count`, those that failed (timed out, connection lost): error codes inside a response are not failures here. */
  readonly errors: number;
  readonly meanMs: number;
  readonly maxMs: number;
}

/** What `clientMetrics` emits at the end of each interval. */
export interface ClientMetricsSnapshot {
  /** The clock's time at the end of the interval. */
  readonly at: number;
  readonly intervalMs: number;
  /** Records and bytes of record batches fetched (by Fetch responses) in the interval. */
  readonly consumed: Throughput;
  /** Records and bytes of record batches acknowledged by leaders in the interval. */
  readonly produced: Throughput;
  /** Per API name (`Fetch`, `Produce`, `OffsetCommit`, ...). */
  readonly requests: Readonly<Record<string, RequestLatency>>;
  /** The consumer's last `lag$` value (empty without a consumer or before its first Fetch). */
  readonly lag: readonly RecordsLag[];
  /** Since subscription: partitions assigned, revoked or lost (each `rebalances$` event counts once). */
  readonly rebalances: number;
  /** Since subscription: offset commits that failed (a result with `error` on `commits$`). */
  readonly commitFailures: number;
}
