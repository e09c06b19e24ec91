import { defer, finalize, interval, map, type Observable, type Subscription } from 'rxjs';
import type { Consumer, RecordsLag } from '../consumer/types';
import { channels } from '../diagnostics/channels';
import type {
  CommitTrace,
  FetchTrace,
  ProduceBatchTrace,
  RebalanceMessage,
  RequestTrace,
} from '../diagnostics/payloads';
import { defaultClock, now, type Clock } from '../time/clock';
import type { ClientMetricsSnapshot, RequestLatency, Throughput } from './client-metrics-snapshot';

export interface ClientMetricsOptions {
  /** The client to measure, by the `clientId` it was created with (`'kafka-rx'` by default). */
  readonly clientId?: string;
  /** Its `lag$` gives the lag per partition. */
  readonly consumer?: Pick<Consumer, 'lag$'>;
  /** The length of an interval (default 10 000 ms). */
  readonly intervalMs?: number;
  readonly clock?: Clock;
}

/** Latency sums of one API over the interval under way. */
interface LatencySums {
  count: number;
  errors: number;
  totalMs: number;
  maxMs: number;
}

function throughput(records: number, bytes: number, intervalMs: number): Throughput {
  const seconds = intervalMs / 1000;
  return { records, bytes, recordsPerSecond: records / seconds, bytesPerSecond: bytes / seconds };
}

/**
 * Snapshots of a client's work, one at the end of each `intervalMs` on the clock: records and
 * bytes fetched and produced (and per second), request latency per API, the consumer's lag per
 * partition, and counts of rebalances and failed commits. Cold: counting starts at subscription
 * and stops at unsubscription. Everything but the lag comes from the diagnostics channels,
 * matched by `clientId`: give each client its own to tell them apart.
 *
 * @example
 * clientMetrics({ clientId: 'billing', consumer, intervalMs: 5000 }).subscribe((m) => console.log(m.consumed));
 */
export function clientMetrics(options: ClientMetricsOptions = {}): Observable<ClientMetricsSnapshot> {
  const clientId = options.clientId ?? 'kafka-rx';
  const intervalMs = options.intervalMs ?? 10000;
  const clock = options.clock ?? defaultClock;
  return defer(() => {
    let consumed = { records: 0, bytes: 0 };
    let produced = { records: 0, bytes: 0 };
    let requests = new Map<string, LatencySums>();
    let lag: readonly RecordsLag[] = [];
    let rebalances = 0;
    let commitFailures = 0;

    const onRequest = (message: unknown): void => {
      const done = message as RequestTrace;
      if (done.clientId !== clientId) return;
      let sums = requests.get(done.apiName);
      if (sums === undefined)
        requests.set(done.apiName, (sums = { count: 0, errors: 0, totalMs: 0, maxMs: 0 }));
      const latencyMs = done.latencyMs ?? 0;
      sums.count++;
      if (done.error !== undefined) sums.errors++;
      sums.totalMs += latencyMs;
      sums.maxMs = Math.max(sums.maxMs, latencyMs);
    };
    const onFetch = (message: unknown): void => {
      const fetch = message as FetchTrace;
      if (fetch.clientId !== clientId) return;
      consumed.records += fetch.records;
      consumed.bytes += fetch.bytes;
    };
    const onProduceBatch = (message: unknown): void => {
      const produce = message as ProduceBatchTrace;
      if (produce.clientId !== clientId || produce.error !== undefined) return;
      produced.records += produce.records;
      produced.bytes += produce.bytes;
    };
    const onCommit = (message: unknown): void => {
      const commit = message as CommitTrace;
      if (commit.clientId === clientId && commit.error !== undefined) commitFailures++;
    };
    const onRebalance = (message: unknown): void => {
      if ((message as RebalanceMessage).clientId === clientId) rebalances++;
    };

    channels.request.asyncEnd.subscribe(onRequest);
    channels.fetch.asyncEnd.subscribe(onFetch);
    channels.produceBatch.asyncEnd.subscribe(onProduceBatch);
    channels.commit.asyncEnd.subscribe(onCommit);
    channels.rebalance.subscribe(onRebalance);
    const lagSubscription: Subscription | undefined = options.consumer?.lag$.subscribe((l) => (lag = l));

    const snapshot = (): ClientMetricsSnapshot => {
      const latency: Record<string, RequestLatency> = {};
      for (const [api, sums] of requests)
        latency[api] = {
          count: sums.count,
          errors: sums.errors,
          meanMs: sums.totalMs / sums.count,
          maxMs: sums.maxMs,
        };
      const taken: ClientMetricsSnapshot = {
        at: now(clock),
        intervalMs,
        consumed: throughput(consumed.records, consumed.bytes, intervalMs),
        produced: throughput(produced.records, produced.bytes, intervalMs),
        requests: latency,
        lag,
        rebalances,
        commitFailures,
      };
      consumed = { records: 0, bytes: 0 };
      produced = { records: 0, bytes: 0 };
      requests = new Map();
      return taken;
    };

    return interval(intervalMs, clock).pipe(
      map(snapshot),
      finalize(() => {
        channels.request.asyncEnd.unsubscribe(onRequest);
        channels.fetch.asyncEnd.unsubscribe(onFetch);
        channels.produceBatch.asyncEnd.unsubscribe(onProduceBatch);
        channels.commit.asyncEnd.unsubscribe(onCommit);
        channels.rebalance.unsubscribe(onRebalance);
        lagSubscription?.unsubscribe();
      }),
    );
  });
}
