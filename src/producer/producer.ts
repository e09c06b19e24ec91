import {
  catchError,
  defer,
  finalize,
  forkJoin,
  lastValueFrom,
  map,
  mergeMap,
  type Observable,
  of,
  race,
  take,
  throwError,
  timer,
} from 'rxjs';
import type { Cluster } from '../cluster/cluster';
import { now } from '../time/clock';
import { channels, isTraced } from '../diagnostics/channels';
import { payloads } from '../diagnostics/payloads';
import { eager, eagerError, type Eager } from '../eager';
import { sealRecordBatch } from '../protocol/records/record-batch-encoder';
import { writeUtf8 } from '../protocol/records/utf8';
import { registerBackpressure } from './backpressure';
import { IdempotenceGuard } from './idempotence';
import { PendingSend, type Placer } from './pending-send';
import { BufferExhaustedError, InvalidRecordError, ProducerClosedError, RecordTooLargeError } from './errors';
import type { PartitionMetadata } from '../cluster/cluster';
import { murmur2, toPositive } from './murmur2';
import { createDefaultPartitioner, type Partitioner } from './partitioner';
import { resolveProducerConfig, type ProducerConfig, type ResolvedProducerConfig } from './producer-config';
import { ProducerMetadata } from './producer-metadata';
import {
  estimateRecordSize,
  RECORD_BATCH_OVERHEAD,
  type ProducerRecord,
  type RecordMetadata,
} from './producer-record';
import { RecordAccumulator } from './record-accumulator';
import { serializeRecord } from './serialize-records';
import { Sender, type BatchEncoder } from './sender';
import { SendQueue } from './send-queue';
import { transaction } from './transaction';
import { notTransactional, TransactionManager } from './transaction-manager';
import type { Producer } from './types';

export type { Producer } from './types';

/** What `createProducer` builds on. */
export interface ProducerDeps {
  /** The cluster the producer talks through. */
  readonly cluster: Cluster;
  /** Whether `close()` closes the cluster too. */
  readonly ownsCluster: boolean;
  readonly partitioner?: Partitioner;
  /** Encodes batches; by default `batchEncoder(config)`. */
  readonly encoder?: BatchEncoder;
}

/** The encoder the producer uses: one record batch v2 with the batch's stamp and the chosen codec. */
export function batchEncoder(config: ResolvedProducerConfig): BatchEncoder {
  return (batch, transactional) =>
    sealRecordBatch(batch, {
      compression: config.compression,
      producerId: batch.stamp?.producerId ?? -1n,
      producerEpoch: batch.stamp?.producerEpoch ?? -1,
      baseSequence: batch.stamp?.baseSequence ?? -1,
      transactional,
    });
}

function checkRecord(record: ProducerRecord): void {
  if (record === null || typeof record !== 'object')
    throw new InvalidRecordError(`a record must be an object, not ${record}`);
  if (typeof record.topic !== 'string' || record.topic.length === 0) {
    throw new InvalidRecordError(`a record needs a topic name, not ${JSON.stringify(record.topic)}`);
  }
  for (const field of ['key', 'value'] as const) {
    const data = record[field];
    if (data !== null && data !== undefined && typeof data !== 'string' && !Buffer.isBuffer(data)) {
      throw new InvalidRecordError(
        `${field} of a record for "${record.topic}" must be a Buffer, a string or null`,
      );
    }
  }
  if (record.partition !== undefined && (!Number.isInteger(record.partition) || record.partition < 0)) {
    throw new InvalidRecordError(
      `partition of a record for "${record.topic}" must be a whole number >= 0, not ${record.partition}`,
    );
  }
  if (record.timestamp !== undefined && !Number.isSafeInteger(record.timestamp)) {
    throw new InvalidRecordError(
      `timestamp of a record for "${record.topic}" must be whole milliseconds, not ${record.timestamp}`,
    );
  }
  if (record.headers !== undefined) checkHeaders(record.topic, record.headers);
}

/** Header values the encoder cannot write would fail later, as an out-of-bounds write. */
function checkHeaders(topic: string, headers: unknown): void {
  const about = `headers of a record for "${topic}"`;
  if (typeof headers !== 'object' || headers === null)
    throw new InvalidRecordError(
      `${about} must be an object or a list of [name, value] pairs, not ${String(headers)}`,
    );
  const pairs: unknown[] = Array.isArray(headers) ? headers : Object.entries(headers);
  for (const pair of pairs) {
    if (!Array.isArray(pair) || typeof pair[0] !== 'string')
      throw new InvalidRecordError(
        `${about}: each must be a [name, value] pair with a string name, not ${JSON.stringify(pair)}`,
      );
    const value: unknown = pair[1];
    // undefined is written as null, as for keys and values.
    if (value !== null && value !== undefined && typeof value !== 'string' && !Buffer.isBuffer(value))
      throw new InvalidRecordError(
        `header "${pair[0]}" of a record for "${topic}" must be a Buffer, a string or null, not ${String(value)}`,
      );
  }
}

/**
 * The producer on a given cluster. Most code wants `createProducer`; this form takes the cluster
 * (and so the transport and clock) explicitly, which is what tests in virtual time use.
 */
export function createProducerOn(options: ProducerConfig<any, any, any>, deps: ProducerDeps): Producer {
  const config = resolveProducerConfig(options);
  const { cluster } = deps;
  const custom = deps.partitioner ?? options.partitioner;
  const partitioner = custom ?? createDefaultPartitioner();
  // The default partitioner only hashes a key, so a string key is written into this scratch
  // buffer and hashed there, with no Buffer (nor view) of its own; a custom one may keep the key,
  // so gets a copy.
  const scratch = custom ? undefined : Buffer.allocUnsafe(1024);
  const keyBytes = (key: Buffer | string | null): Buffer | null =>
    typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  const partitionOf = (
    topic: string,
    key: Buffer | string | null,
    partitions: readonly PartitionMetadata[],
  ): number => {
    if (scratch && typeof key === 'string' && key.length * 3 <= scratch.length)
      return toPositive(murmur2(scratch, writeUtf8(scratch, 0, key))) % partitions.length; // partitionForKey
    return partitioner.partition(topic, keyBytes(key), partitions);
  };
  const metadata = new ProducerMetadata(cluster, config);
  const sends = new SendQueue(
    metadata,
    cluster.clock,
    config.maxBlockMs,
    () =>
      new BufferExhaustedError(
        `no room in bufferMemory (${config.bufferMemory} bytes) within maxBlockMs (${config.maxBlockMs} ms): ` +
          `${accumulator.bufferedBytes} bytes of records are waiting to be acknowledged`,
      ),
  );
  const wake = () => sender.run();
  const accumulator = new RecordAccumulator({
    clock: cluster.clock,
    batchBytes: config.batchBytes,
    lingerMs: config.lingerMs,
    deliveryTimeoutMs: config.deliveryTimeoutMs,
    bufferMemory: config.bufferMemory,
    onRoom: () => sends.resume(),
    onReady: wake,
    onDeliveryTimeout: (batch) => sender.expire(batch),
    onBatchClosed: (topic, partition) => partitioner.onBatchClosed?.(topic, partition),
  });
  const transactions =
    config.transactionalId === null
      ? undefined
      : new TransactionManager(config, cluster, accumulator, config.transactionalId, flush$);
  const guard =
    transactions ?? (config.idempotent ? new IdempotenceGuard(config, cluster, accumulator) : undefined);
  const woken = guard?.wake$.subscribe(wake);
  const sender = new Sender(
    config,
    cluster,
    metadata,
    accumulator,
    deps.encoder ?? batchEncoder(config),
    guard,
  );

  let closed = false;
  let closing: Promise<void> | undefined;

  /**
   * Checks every record of a send before any is placed (a send is refused whole); returns their
   * estimated sizes.
   */
  function check(records: readonly ProducerRecord[]): Uint32Array {
    const sizes = new Uint32Array(records.length);
    const largest = Math.min(config.maxRequestSize, config.bufferMemory);
    records.forEach((record, i) => {
      const topic = metadata.topic(record.topic)!;
      if (record.partition !== undefined && record.partition >= topic.partitions.length) {
        throw new InvalidRecordError(
          `partition ${record.partition} of "${record.topic}" does not exist (it has ${topic.partitions.length})`,
        );
      }
      const size = estimateRecordSize(record);
      if (size + RECORD_BATCH_OVERHEAD > largest) {
        const limit =
          largest === config.maxRequestSize
            ? `maxRequestSize (${config.maxRequestSize} bytes)`
            : `bufferMemory (${config.bufferMemory} bytes)`;
        throw new RecordTooLargeError(
          `a record for "${record.topic}" of about ${size} bytes is larger than ${limit}`,
        );
      }
      sizes[i] = size;
    });
    return sizes;
  }

  /**
   * Places the records of a send from `placed.count` on, while `bufferMemory` has room; returns
   * whether all are placed.
   */
  function append(records: readonly ProducerRecord[], sizes: Uint32Array, placed: PendingSend): boolean {
    const appendedAt = now(cluster.clock);
    let i = placed.count;
    for (; i < records.length && accumulator.hasRoom(sizes[i]); i++) {
      const record = records[i];
      const size = sizes[i];
      let partition = record.partition;
      if (partition === undefined) {
        const partitions = metadata.topic(record.topic)!.partitions;
        const key = record.key ?? null;
        partition = partitionOf(record.topic, key, partitions);
        // KIP-480: a record that would open a new batch lets the partitioner choose again.
        if (accumulator.closeIfNoRoom(record.topic, partition, size))
          partition = partitionOf(record.topic, key, partitions);
      }
      const batch = accumulator.append(record.topic, partition, record, appendedAt, size);
      transactions?.enlist(batch);
      placed.add(batch, batch.count - 1);
    }
    sender.run();
    return i === records.length;
  }

  function send(input: ProducerRecord | readonly ProducerRecord[]): Eager<RecordMetadata[]> {
    const records: readonly ProducerRecord[] = Array.isArray(input) ? input : [input as ProducerRecord];
    if (!isTraced(channels.produceSend)) return place(records);
    const trace = payloads.produceSend<ProducerRecord, RecordMetadata>(config.clientId, records);
    channels.produceSend.start.publish(trace);
    // Start subscribers may have replaced records (to add headers): what the trace holds is sent.
    const result = place(trace.records);
    channels.produceSend.end.publish(trace);
    const settle = (): void => {
      channels.produceSend.asyncStart.publish(trace);
      channels.produceSend.asyncEnd.publish(trace);
    };
    result.subscribe({
      next: (metadata) => (trace.result = metadata),
      error: (error: unknown) => {
        trace.error = error;
        channels.produceSend.error.publish(trace);
        settle();
      },
      complete: settle,
    });
    return result;
  }

  const placer: Placer = { check, append };

  /** Accepts the records of a send (eager: whether or not anyone subscribes). */
  function place(given: readonly ProducerRecord[]): Eager<RecordMetadata[]> {
    let records = given;
    if (closed) return eagerError(new ProducerClosedError());
    try {
      transactions?.checkSend();
      const serializers = config.serializers;
      if (serializers !== undefined) records = records.map((r) => serializeRecord(serializers, r));
      records.forEach(checkRecord);
    } catch (error) {
      return eagerError(error);
    }
    if (records.length === 0) return eager(of([]));
    // One object is the queued send, its placement and its result.
    const pending = new PendingSend(records, placer);
    sends.add(pending);
    return pending;
  }

  /** `flush` as an Observable on the clock (so transactions can commit in virtual time). */
  function flush$(): Observable<void> {
    return defer(() => (sends.size > 0 ? sends.empty$.pipe(take(1)) : of(undefined))).pipe(
      mergeMap(() => {
        const batches = [...accumulator.unsettled];
        sender.flushing++;
        sender.run();
        const settled = batches.map((b) => b.ack$.pipe(catchError(() => of(undefined))));
        return (settled.length > 0 ? forkJoin(settled) : of([])).pipe(finalize(() => sender.flushing--));
      }),
      map(() => undefined),
    );
  }

  async function flush(): Promise<void> {
    await lastValueFrom(flush$());
  }

  /** After `closeTimeoutMs`: what is still pending fails, so close can end. */
  function abandon(): void {
    const error = new ProducerClosedError(
      `the producer closed before this record was acknowledged: close gave up after closeTimeoutMs (${config.closeTimeoutMs} ms)`,
    );
    sends.failAll(error);
    sender.abandon(error);
  }

  function close(): Promise<void> {
    closing ??= (async () => {
      closed = true;
      try {
        const graceful$ = defer(async () => {
          if (transactions && ['in-transaction', 'abortable', 'committing'].includes(transactions.state)) {
            // Left open, the transaction would hold back read_committed consumers until it times out.
            await lastValueFrom(transactions.abort()).catch(() => undefined);
          }
          await flush();
        });
        const gaveUp$ = timer(config.closeTimeoutMs, cluster.clock).pipe(map(() => abandon()));
        await lastValueFrom(race(graceful$, gaveUp$));
      } finally {
        sender.stop();
        guard?.stop();
        woken?.unsubscribe();
        metadata.stop();
        if (deps.ownsCluster) await cluster.close();
      }
    })();
    return closing;
  }

  const unlessClosed = <T>(call: string, run: () => Observable<T>): Eager<T> =>
    eager(
      defer(() => {
        if (closed) return throwError(() => new ProducerClosedError());
        if (!transactions) return throwError(() => notTransactional(call));
        return run();
      }),
    );

  const producer: Producer = {
    send,
    flush,
    close,
    beginTransaction() {
      if (closed) throw new ProducerClosedError();
      if (!transactions) throw notTransactional('beginTransaction');
      transactions.begin();
    },
    sendOffsetsToTransaction: (offsets, group) =>
      unlessClosed('sendOffsetsToTransaction', () => transactions!.sendOffsets(offsets, group)),
    commitTransaction: () => unlessClosed('commitTransaction', () => transactions!.commit()),
    abortTransaction: () =>
      eager(
        defer(() =>
          transactions ? transactions.abort() : throwError(() => notTransactional('abortTransaction')),
        ),
      ),
    transaction: (work) => transaction(producer, work),
  };
  registerBackpressure(producer, {
    blocked: () => sends.size > 0,
    unblocked$: sends.empty$,
    room: () => config.bufferMemory - accumulator.bufferedBytes,
  });
  return producer;
}
