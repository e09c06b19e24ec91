import { defer, type Observable, of, Subject } from 'rxjs';
import type { Cluster, ClusterMetadata, TopicMetadata } from '../../src/cluster/cluster';
import type { ApiSpec, Message } from '../../src/protocol/spec';
import type { ResponseOf } from '../../src/protocol/spec-types';
import { decodeRecords } from '../../src/protocol/records';
import type { Clock } from '../../src/time/clock';
import type { BrokerAddress, RequestBody, RequestOptions } from '../../src/transport/transport';
import { readBatchHeader } from './scripted-producer-cluster';

/** What a partition of a Produce response says; missing fields are those of a success at offset 0. */
export interface PartitionAnswer {
  errorCode?: number;
  baseOffset?: bigint;
  logAppendTimeMs?: bigint | null;
  errorMessage?: string | null;
  recordErrors?: { batchIndex: number; batchIndexErrorMessage: string | null }[] | null;
}

/** A Produce request the test answers by hand, when and how it likes. */
export class PendingProduce {
  private readonly answer$ = new Subject<unknown>();
  readonly response$: Observable<unknown> = this.answer$;
  /** Answered, failed or completed. */
  settled = false;
  /**
   * The batches it carries, as `topic[partition]: values (producerId/epoch/baseSequence)`, read
   * when it was sent (a batch stamped again later is encoded again in the same buffer).
   */
  readonly batches: string[];

  constructor(
    readonly at: number,
    readonly broker: number,
    readonly body: Message,
    readonly options: RequestOptions | undefined,
  ) {
    this.batches = (body.topicData as Message[]).flatMap((topic) =>
      (topic.partitionData as Message[]).map((p) => {
        const records = p.records as Buffer;
        const values = decodeRecords(records).records.map((r) => r.value!.toString());
        const h = readBatchHeader(records);
        const stamp =
          h.producerId < 0n && h.baseSequence < 0
            ? ''
            : ` (${h.producerId}/${h.producerEpoch}/${h.baseSequence})`;
        return `${topic.name}[${p.index}]: ${values.join(',')}${stamp}`;
      }),
    );
  }

  /** Answers with a result for each `topic[partition]` named (others are left out of the response). */
  answer(results: Record<string, PartitionAnswer>): void {
    const byTopic = new Map<string, Message[]>();
    for (const [where, result] of Object.entries(results)) {
      const [, name, index] = /^(.*)\[(\d+)\]$/.exec(where)!;
      const partitions = byTopic.get(name) ?? [];
      byTopic.set(name, partitions);
      partitions.push({
        index: Number(index),
        errorCode: 0,
        baseOffset: 0n,
        logAppendTimeMs: -1n,
        logStartOffset: 0n,
        recordErrors: [],
        errorMessage: null,
        ...result,
      });
    }
    this.respond({
      responses: [...byTopic].map(([name, partitionResponses]) => ({ name, partitionResponses })),
      throttleTimeMs: 0,
    });
  }

  /** Every partition it carries succeeds, at `baseOffset`. */
  ok(baseOffset = 0n): void {
    const results: Record<string, PartitionAnswer> = {};
    for (const topic of this.body.topicData as Message[])
      for (const p of topic.partitionData as Message[]) results[`${topic.name}[${p.index}]`] = { baseOffset };
    this.answer(results);
  }

  /** Answers with this body as it is, then completes. */
  respond(response: unknown): void {
    this.settled = true;
    this.answer$.next(response);
    this.answer$.complete();
  }

  fail(error: unknown): void {
    this.settled = true;
    this.answer$.error(error);
  }

  /** Completes without an answer. */
  complete(): void {
    this.settled = true;
    this.answer$.complete();
  }
}

/**
 * A stand-in `Cluster` whose Produce requests wait for the test to answer them (`PendingProduce`);
 * metadata comes from a table of leaders per partition (`-1`: none) and is answered at once.
 */
export class AnswerableProduceCluster implements Cluster {
  readonly transport = undefined as never;
  readonly produces: PendingProduce[] = [];
  metadataRequests = 0;
  private readonly brokers: Map<number, BrokerAddress>;

  constructor(
    readonly clock: Clock,
    /** Per topic, the leader of each partition. */
    readonly leaders: Record<string, number[]>,
    brokers = 2,
  ) {
    this.brokers = new Map(
      Array.from({ length: brokers }, (_, i) => [
        i + 1,
        { host: `broker${i + 1}`, port: 9092, nodeId: i + 1 },
      ]),
    );
  }

  /** The requests not answered yet. */
  pending(): PendingProduce[] {
    return this.produces.filter((p) => !p.settled);
  }

  snapshot(): ClusterMetadata {
    const topics = new Map<string, TopicMetadata>();
    for (const [name, leaders] of Object.entries(this.leaders)) {
      topics.set(name, {
        name,
        errorCode: 0,
        partitions: leaders.map((leader, partition) => ({
          partition,
          leader,
          leaderEpoch: 0,
          replicas: [leader],
          isr: [leader],
          errorCode: 0,
        })),
      });
    }
    return { clusterId: 'answerable', controllerId: 1, brokers: this.brokers, topics };
  }

  metadata(): Observable<ClusterMetadata> {
    return this.refreshMetadata();
  }

  refreshMetadata(): Observable<ClusterMetadata> {
    return defer(() => {
      this.metadataRequests++;
      return of(this.snapshot());
    });
  }

  leaderFor(): Observable<BrokerAddress> {
    throw new Error('the sender routes by the producer metadata, not leaderFor');
  }

  coordinator(): Observable<BrokerAddress> {
    throw new Error('no coordinator here');
  }

  coordinatorDead(): void {}

  requestAny<A extends ApiSpec>(api: A): Observable<ResponseOf<A>> {
    throw new Error(`the answerable cluster does not answer ${api.name}`);
  }

  request<A extends ApiSpec>(
    broker: BrokerAddress,
    api: A,
    body: RequestBody<A>,
    options?: RequestOptions,
  ): Observable<ResponseOf<A>> {
    if (api.name !== 'Produce') throw new Error(`the answerable cluster does not answer ${api.name}`);
    return defer(() => {
      const message: Message = typeof body === 'function' ? body(api.maxVersion) : body;
      const pending = new PendingProduce(this.clock.now(), broker.nodeId!, message, options);
      this.produces.push(pending);
      return pending.response$ as Observable<ResponseOf<A>>;
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
