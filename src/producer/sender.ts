import type { Observable, Subscription } from 'rxjs';
import type { Cluster } from '../cluster/cluster';
import { ErrorCode, type KafkaProtocolError } from '../protocol/errors';
import { channels } from '../diagnostics/channels';
import { payloads } from '../diagnostics/payloads';
import { traced } from '../diagnostics/traced';
import { Produce } from '../protocol/specs/produce';
import type { ResponseOf } from '../protocol/spec-types';
import type { BrokerAddress } from '../transport/transport';
import { now as nowOf } from '../time/clock';
import { KafkaRxError } from '../errors';
import { brokerError, DeliveryTimeoutError, RecordTooLargeError } from './errors';
import type { ProducerBatch, ProducerIdentity } from './producer-batch';
import type { ResolvedProducerConfig } from './producer-config';
import type { ProducerMetadata } from './producer-metadata';
import type { PartitionQueue, RecordAccumulator } from './record-accumulator';
import { drainLoop } from './drain-loop';

/** Encodes a batch's records as one record batch (v2) with the producer's stamp. */
export type BatchEncoder = (batch: ProducerBatch, transactional: boolean) => Buffer;

/** What the sender asks of the idempotence and transaction state. */
export interface SenderGuard {
  /** The identity to stamp batches with; `undefined` (and it starts InitProducerId) until known. */
  identity(): ProducerIdentity | undefined;
  /** Whether batches for this partition may go now (a transaction has added it); starts adding it if not. */
  mayWrite(topic: string, partition: number): boolean;
  /** A stamped batch failed for good: its sequence numbers left a gap. */
  sequenceBroken(batch: ProducerBatch, error: unknown): void;
  /** Emits when batches held back may go: the answer (or failure) that `identity` or `mayWrite` waited for. */
  readonly wake$: Observable<void>;
}

interface ProduceRequest {
  readonly broker: BrokerAddress;
  readonly batches: ProducerBatch[];
  bytes: number;
}

const MAX_SEQUENCE = 0x7fffffff;

/**
 * Sends ready batches to partition leaders (Kafka's Sender): one Produce request per broker per
 * round, up to `maxInFlightPerBroker` in flight per broker; within a partition, one batch in
 * flight at a time, or (idempotent) several, ordered by their sequence numbers; retries with
 * backoff on the clock. `run()` is called whenever something may have become sendable.
 */
export class Sender {
  private readonly inFlight = new Map<number, number>();
  private readonly timers = new Set<Subscription>();
  /** While > 0 every batch is ready regardless of linger (flush, close). */
  flushing = 0;

  constructor(
    private readonly config: ResolvedProducerConfig,
    private readonly cluster: Cluster,
    private readonly metadata: ProducerMetadata,
    private readonly accumulator: RecordAccumulator,
    private readonly encode: BatchEncoder,
    private readonly guard: SenderGuard | undefined,
  ) {}

  /**
   * Sends whatever can go now; safe to call from anywhere, including from inside a response or a
   * round (then another round follows this one). One function, so a metadata refresh many rounds
   * wait for calls it once.
   */
  readonly run = drainLoop(() => this.round());

  /** Cancels pending retry timers (on close). */
  stop(): void {
    for (const t of this.timers) t.unsubscribe();
    this.timers.clear();
  }

  private round(): void {
    // Only a waiting batch asks for a producer id: after a failed InitProducerId (which fails what
    // waits and wakes us) asking again at once would repeat it for as long as it keeps failing.
    if (this.config.idempotent && !this.anyWaiting()) return;
    const identity = this.config.idempotent ? this.guard?.identity() : undefined;
    if (this.config.idempotent && !identity) return;
    const now = nowOf(this.cluster.clock);
    this.expireWaiting(now);
    const requests = new Map<number, ProduceRequest>();
    let missingLeader = false;
    for (const queue of this.accumulator.partitions()) {
      const batch = queue.waiting[0];
      if (!batch || !this.isReady(queue, batch, now)) continue;
      const leader = this.metadata.leaderOf(queue.topic, queue.partition);
      if (!leader || leader.nodeId === undefined) {
        missingLeader = true;
        continue;
      }
      if (this.guard && !this.guard.mayWrite(queue.topic, queue.partition)) continue;
      let request = requests.get(leader.nodeId);
      if (!request) {
        if ((this.inFlight.get(leader.nodeId) ?? 0) >= this.config.maxInFlightPerBroker) continue;
        request = { broker: leader, batches: [], bytes: 0 };
        requests.set(leader.nodeId, request);
      }
      if (identity) this.stampFor(queue, batch, identity);
      this.accumulator.close(batch);
      try {
        batch.encoded ??= this.encode(batch, this.config.transactionalId !== null);
      } catch (error) {
        // Never sent: give its sequence numbers back so the next batch does not leave a gap.
        if (batch.stamp) queue.nextSequence = batch.stamp.baseSequence;
        batch.stamp = undefined;
        this.fail(queue, batch, error);
        continue;
      }
      if (request.batches.length > 0 && request.bytes + batch.encoded.length > this.config.maxRequestSize) {
        // Goes in the next round's request.
        this.run();
        continue;
      }
      request.batches.push(batch);
      request.bytes += batch.encoded.length;
    }
    if (missingLeader) this.metadata.refresh(this.run);
    for (const request of requests.values()) {
      if (request.batches.length === 0) continue;
      this.send(request);
      // A partition may have more ready batches; another round sends them if limits allow.
      this.run();
    }
  }

  private anyWaiting(): boolean {
    for (const queue of this.accumulator.partitions()) if (queue.waiting.length > 0) return true;
    return false;
  }

  /** Fails batches that have waited longer than `deliveryTimeoutMs` without being sent. */
  private expireWaiting(now: number): void {
    const { deliveryTimeoutMs } = this.config;
    for (const queue of this.accumulator.partitions()) {
      // The first is the oldest (retries wait in front of newer batches), so only it is looked at
      // each round; each batch's own timer covers the rest. Copied only when one expires.
      const oldest = queue.waiting[0];
      if (oldest === undefined || now < oldest.createdAt + deliveryTimeoutMs) continue;
      for (const batch of [...queue.waiting]) {
        if (now >= batch.createdAt + deliveryTimeoutMs) this.expire(batch);
      }
    }
  }

  /**
   * A batch's `deliveryTimeoutMs` has passed: it fails if it is waiting to be sent. One in flight
   * is left to its request, which `requestTimeoutMs` bounds; its retry is then refused.
   */
  expire(batch: ProducerBatch): void {
    const queue = this.accumulator.queue(batch.topic, batch.partition);
    if (batch.done || !queue.waiting.includes(batch)) return;
    this.fail(
      queue,
      batch,
      new DeliveryTimeoutError(
        `${where(batch)}: ${batch.count} record(s) not acknowledged within deliveryTimeoutMs (${this.config.deliveryTimeoutMs} ms)`,
      ),
    );
    this.run();
  }

  /** Fails every batch not yet settled, waiting or in flight, with `error` (close gave up). */
  abandon(error: unknown): void {
    for (const queue of this.accumulator.partitions()) {
      for (const batch of [...queue.inFlight, ...queue.waiting]) {
        queue.remove(batch);
        batch.fail(error);
      }
    }
  }

  private isReady(queue: PartitionQueue, batch: ProducerBatch, now: number): boolean {
    const maxInFlight = this.config.idempotent && !queue.retrying ? this.config.maxInFlightPerBroker : 1;
    if (queue.inFlight.length >= maxInFlight) return false;
    if (batch.attempts > 0) return !batch.backingOff;
    // The time waited is never negative (as in Kafka's RecordAccumulator): a sender woken by a
    // timer that fired early may see now() a millisecond before a batch made just before it.
    return (
      batch.closed ||
      queue.waiting.length > 1 ||
      this.flushing > 0 ||
      Math.max(0, now - batch.createdAt) >= this.config.lingerMs
    );
  }

  /** Gives a batch its sequence numbers (again, if the producer id changed since). */
  private stampFor(queue: PartitionQueue, batch: ProducerBatch, identity: ProducerIdentity): void {
    const stamp = batch.stamp;
    if (stamp && stamp.producerId === identity.producerId && stamp.producerEpoch === identity.producerEpoch)
      return;
    batch.stamp = { ...identity, baseSequence: queue.nextSequence };
    batch.encoded = undefined;
    // Sequence numbers wrap to 0 after Int32.MAX, as the broker expects.
    queue.nextSequence = (queue.nextSequence + batch.count) % (MAX_SEQUENCE + 1);
  }

  private send(request: ProduceRequest): void {
    const { broker, batches } = request;
    const nodeId = broker.nodeId!;
    const topicData = new Map<string, { index: number; records: Buffer }[]>();
    for (const batch of batches) {
      const queue = this.accumulator.queue(batch.topic, batch.partition);
      queue.waiting.splice(queue.waiting.indexOf(batch), 1);
      queue.inFlight.push(batch);
      batch.attempts++;
      let partitions = topicData.get(batch.topic);
      if (!partitions) topicData.set(batch.topic, (partitions = []));
      partitions.push({ index: batch.partition, records: batch.encoded! });
    }
    const { acks, requestTimeoutMs, transactionalId } = this.config;
    const body = {
      transactionalId,
      acks,
      timeoutMs: requestTimeoutMs,
      topicData: [...topicData].map(([name, partitionData]) => ({ name, partitionData })),
    };
    this.inFlight.set(nodeId, (this.inFlight.get(nodeId) ?? 0) + 1);
    let answered = false;
    this.cluster
      .request(broker, Produce, body, { timeoutMs: requestTimeoutMs, expectResponse: acks !== 0 })
      .pipe(traced(channels.produceBatch, () => this.batchTrace(broker, acks, batches)))
      .subscribe({
        next: (response) => {
          answered = true;
          this.settle(nodeId);
          if (acks === 0) {
            for (const b of batches) this.complete(b, -1n, -1);
          } else {
            this.onResponse(batches, response);
          }
          this.run();
        },
        error: (error: unknown) => {
          answered = true;
          this.settle(nodeId);
          for (const b of batches) this.onError(b, error);
          this.run();
        },
        complete: () => {
          if (answered) return;
          this.settle(nodeId);
          for (const b of batches)
            this.onError(
              b,
              new KafkaRxError('ProduceError', 'Produce request completed without a response', {
                retriable: true,
              }),
            );
          this.run();
        },
      });
  }

  /** The `kafka-rx:produce.batch` payload of a Produce request (made only when someone listens). */
  private batchTrace(broker: BrokerAddress, acks: number, batches: readonly ProducerBatch[]) {
    const traced = batches.map((b) => ({
      topic: b.topic,
      partition: b.partition,
      records: b.count,
      bytes: b.encoded!.length,
    }));
    return payloads.produceBatch(this.config.clientId, broker, acks, traced);
  }

  private settle(nodeId: number): void {
    this.inFlight.set(nodeId, (this.inFlight.get(nodeId) ?? 1) - 1);
  }

  private onResponse(batches: ProducerBatch[], response: ResponseOf<typeof Produce>): void {
    const results = new Map<
      string,
      ResponseOf<typeof Produce>['responses'][number]['partitionResponses'][number]
    >();
    for (const topic of response.responses ?? []) {
      for (const p of topic.partitionResponses ?? []) results.set(`${p.index}:${topic.name}`, p);
    }
    for (const batch of batches) {
      const result = results.get(`${batch.partition}:${batch.topic}`);
      if (!result) {
        this.onError(
          batch,
          new KafkaRxError('ProduceError', `the Produce response says nothing of ${where(batch)}`),
        );
      } else if (result.errorCode === ErrorCode.NONE) {
        this.complete(batch, BigInt(result.baseOffset), Number(result.logAppendTimeMs ?? -1));
      } else if (result.errorCode === ErrorCode.DUPLICATE_SEQUENCE_NUMBER && batch.stamp) {
        // The broker already has this batch (an earlier attempt got through); its offset is not told.
        this.complete(batch, -1n, -1);
      } else {
        const details = [
          result.errorMessage,
          ...(result.recordErrors ?? []).map(
            (e) => `record ${e.batchIndex}: ${e.batchIndexErrorMessage ?? ''}`,
          ),
        ];
        this.onError(
          batch,
          brokerError(result.errorCode, where(batch), details.filter(Boolean).join('; ') || null),
        );
      }
    }
  }

  private complete(batch: ProducerBatch, baseOffset: bigint, logAppendTimeMs: number): void {
    this.accumulator.queue(batch.topic, batch.partition).remove(batch);
    batch.complete({ baseOffset, logAppendTimeMs });
  }

  private onError(batch: ProducerBatch, error: unknown): void {
    const queue = this.accumulator.queue(batch.topic, batch.partition);
    const code = (error as KafkaProtocolError).code;
    if (code === ErrorCode.MESSAGE_TOO_LARGE || code === ErrorCode.RECORD_LIST_TOO_LARGE) {
      const size = batch.encoded?.length ?? batch.sizeBytes;
      return this.fail(
        queue,
        batch,
        new RecordTooLargeError(
          `${where(batch)}: the broker rejected a batch of ${batch.count} record(s), ${size} bytes, as too large (${(error as Error).name}); ` +
            "lower batchBytes or raise the topic's max.message.bytes",
          code,
        ),
      );
    }
    const stale = batch.stamp !== undefined && !this.current(batch);
    let retriable = (error as { retriable?: boolean }).retriable === true || stale;
    if (code === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER && batch.stamp && !stale) {
      // Out of order behind an earlier batch that is being retried: this one follows it. Out of
      // order with nothing earlier outstanding means the broker lost our sequence: give up.
      retriable = this.hasEarlier(queue, batch);
    }
    if (!retriable) return this.fail(queue, batch, error);
    const now = nowOf(this.cluster.clock);
    const backoff = this.config.retryBackoffMs;
    if (
      batch.attempts > this.config.retries ||
      now + backoff >= batch.createdAt + this.config.deliveryTimeoutMs
    ) {
      return this.fail(queue, batch, error);
    }
    batch.backingOff = true;
    queue.requeue(batch);
    if ((error as KafkaProtocolError).invalidMetadata || code === undefined) this.metadata.refresh(this.run);
    const timer = this.cluster.clock.schedule(() => {
      this.timers.delete(timer);
      batch.backingOff = false;
      this.run();
    }, backoff);
    this.timers.add(timer);
  }

  private fail(queue: PartitionQueue, batch: ProducerBatch, error: unknown): void {
    queue.remove(batch);
    if (batch.stamp && this.current(batch)) this.guard?.sequenceBroken(batch, error);
    batch.fail(error);
  }

  private current(batch: ProducerBatch): boolean {
    const identity = this.guard?.identity();
    return (
      identity !== undefined &&
      batch.stamp !== undefined &&
      batch.stamp.producerId === identity.producerId &&
      batch.stamp.producerEpoch === identity.producerEpoch
    );
  }

  private hasEarlier(queue: PartitionQueue, batch: ProducerBatch): boolean {
    const seq = batch.stamp!.baseSequence;
    return [...queue.inFlight, ...queue.waiting].some(
      (b) => b !== batch && b.stamp !== undefined && this.current(b) && b.stamp.baseSequence < seq,
    );
  }
}

function where(batch: ProducerBatch): string {
  return `${batch.topic}[${batch.partition}]`;
}
