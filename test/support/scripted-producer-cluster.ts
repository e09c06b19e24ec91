import { defer, type Observable, of, throwError, timer } from 'rxjs';
import { map, mergeMap } from 'rxjs/operators';
import type { Cluster, ClusterMetadata, PartitionMetadata, TopicMetadata } from '../../src/cluster/cluster';
import type { ApiSpec, Message } from '../../src/protocol/spec';
import type { ResponseOf } from '../../src/protocol/spec-types';
import { decodeRecords, type DecodedRecord } from '../../src/protocol/records';
import type { Clock } from '../../src/time/clock';
import type { BrokerAddress, RequestBody, RequestOptions } from '../../src/transport/transport';
import * as L from '../../src/protocol/records/record-batch-layout';

/** The v2 record batch header fields a broker checks for idempotence (offsets from Kafka's protocol docs). */
export interface BatchHeader {
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
  attributes: number;
}

export function readBatchHeader(batch: Buffer): BatchHeader {
  return {
    attributes: batch.readInt16BE(L.ATTRIBUTES),
    producerId: batch.readBigInt64BE(L.PRODUCER_ID),
    producerEpoch: batch.readInt16BE(L.PRODUCER_EPOCH),
    baseSequence: batch.readInt32BE(L.BASE_SEQUENCE),
    recordCount: batch.readInt32BE(L.RECORDS_COUNT),
  };
}

export interface SentRequest {
  at: number;
  broker: BrokerAddress;
  api: string;
  body: Message;
  options?: RequestOptions;
}

/** What the scripted broker does with one partition of a Produce: the error code to answer, or append. */
export type ProduceFault = { errorCode: number; append?: boolean } | { disconnect: true };

export interface ScriptedProducerClusterOptions {
  clock: Clock;
  /** Topic name to partition count; every partition led by broker `leaderOf(partition)`. */
  topics: Record<string, number>;
  brokers?: number;
  leaderOf?: (topic: string, partition: number) => number;
  /** Round-trip time of every request, in clock milliseconds. */
  rttMs?: number;
}

/**
 * A stand-in `Cluster` answering on the clock like a broker would: Produce appends to per-partition
 * logs and checks idempotent sequence numbers as Kafka's broker does; faults can be queued per
 * partition. It records every request for the test to look at.
 */
export class ScriptedProducerCluster implements Cluster {
  readonly clock: Clock;
  readonly transport = undefined as never;
  readonly requests: SentRequest[] = [];
  /** Per `topic/partition`: the records written, in offset order. */
  readonly logs = new Map<string, DecodedRecord[]>();
  readonly batches = new Map<string, BatchHeader[]>();
  readonly faults = new Map<string, ProduceFault[]>();
  metadataRequests = 0;
  nextProducerId = 1000n;
  /** Error codes the next InitProducerId requests answer with, in turn (then they succeed). */
  readonly initProducerIdErrors: number[] = [];
  private readonly topics: Map<string, TopicMetadata>;
  private readonly brokers: Map<number, BrokerAddress>;
  private readonly rttMs: number;
  /** Per producer id and partition: sequence expected next and the last batches (for duplicates). */
  private readonly sequences = new Map<string, { next: number; recent: { seq: number; offset: bigint }[] }>();

  constructor(private readonly options: ScriptedProducerClusterOptions) {
    this.clock = options.clock;
    this.rttMs = options.rttMs ?? 1;
    this.brokers = new Map(
      Array.from({ length: options.brokers ?? 1 }, (_, i) => [
        i + 1,
        { host: `broker${i + 1}`, port: 9092, nodeId: i + 1 },
      ]),
    );
    this.topics = new Map();
    for (const [name, count] of Object.entries(options.topics)) this.addTopic(name, count);
  }

  addTopic(name: string, count: number): void {
    const leaderOf = this.options.leaderOf ?? (() => 1);
    const partitions: PartitionMetadata[] = Array.from({ length: count }, (_, partition) => ({
      partition,
      leader: leaderOf(name, partition),
      leaderEpoch: 0,
      replicas: [1],
      isr: [1],
      errorCode: 0,
    }));
    this.topics.set(name, { name, errorCode: 0, partitions });
  }

  /** Moves a partition's leadership (`-1`: no leader, as during an election). */
  setLeader(topic: string, partition: number, leader: number): void {
    const metadata = this.topics.get(topic)!;
    const partitions = metadata.partitions.map((p) => (p.partition === partition ? { ...p, leader } : p));
    this.topics.set(topic, { ...metadata, partitions });
  }

  fault(topic: string, partition: number, ...faults: ProduceFault[]): void {
    const key = `${topic}/${partition}`;
    this.faults.set(key, [...(this.faults.get(key) ?? []), ...faults]);
  }

  log(topic: string, partition: number): DecodedRecord[] {
    return this.logs.get(`${topic}/${partition}`) ?? [];
  }

  produceRequests(): SentRequest[] {
    return this.requests.filter((r) => r.api === 'Produce');
  }

  private snapshot(names?: readonly string[] | RegExp): ClusterMetadata {
    const topics = new Map<string, TopicMetadata>();
    for (const name of Array.isArray(names) ? names : [...this.topics.keys()]) {
      topics.set(name, this.topics.get(name) ?? { name, errorCode: 3, partitions: [] });
    }
    return { clusterId: 'scripted', controllerId: 1, brokers: this.brokers, topics };
  }

  metadata(topics?: readonly string[] | RegExp): Observable<ClusterMetadata> {
    return this.refreshMetadata(topics);
  }

  refreshMetadata(topics?: readonly string[] | RegExp): Observable<ClusterMetadata> {
    return defer(() => {
      this.metadataRequests++;
      return of(this.snapshot(topics));
    });
  }

  leaderFor(topic: string, partition: number): Observable<BrokerAddress> {
    return of(this.brokers.get(this.topics.get(topic)!.partitions[partition].leader)!);
  }

  coordinator(): Observable<BrokerAddress> {
    return of(this.brokers.get(1)!);
  }

  coordinatorDead(): void {}

  requestAny<A extends ApiSpec>(
    api: A,
    body: RequestBody<A>,
    options?: RequestOptions,
  ): Observable<ResponseOf<A>> {
    return this.request(this.brokers.get(1)!, api, body, options);
  }

  // Scripted answers are untyped bodies, as the broker would send them.
  request<A extends ApiSpec>(
    broker: BrokerAddress,
    api: A,
    body: RequestBody<A>,
    options?: RequestOptions,
  ): Observable<ResponseOf<A>> {
    return defer(() => {
      const message: Message = typeof body === 'function' ? body(api.maxVersion) : body;
      this.requests.push({ at: this.clock.now(), broker, api: api.name, body: message, options });
      let disconnect = false;
      let response: Message | undefined;
      if (api.name === 'Produce') {
        const result = this.produce(broker, message);
        disconnect = result === 'disconnect';
        response = result === 'disconnect' ? undefined : result;
      } else if (api.name === 'InitProducerId') {
        const errorCode = this.initProducerIdErrors.shift();
        response = errorCode
          ? { errorCode, producerId: -1n, producerEpoch: -1, throttleTimeMs: 0 }
          : { errorCode: 0, producerId: this.nextProducerId++, producerEpoch: 0, throttleTimeMs: 0 };
      } else {
        throw new Error(`the scripted cluster does not answer ${api.name}`);
      }
      return timer(this.rttMs, this.clock).pipe(
        mergeMap(() =>
          disconnect
            ? throwError(() =>
                Object.assign(new Error('connection to broker1:9092 dropped'), {
                  name: 'ConnectionError',
                  retriable: true,
                }),
              )
            : of(options?.expectResponse === false ? undefined : response),
        ),
        map((r) => r as ResponseOf<A>),
      );
    });
  }

  private produce(broker: BrokerAddress, body: Message): Message | 'disconnect' {
    const responses = [];
    for (const topic of body.topicData) {
      const partitionResponses = [];
      for (const p of topic.partitionData) {
        const key = `${topic.name}/${p.index}`;
        const leader = this.topics.get(topic.name)?.partitions[p.index]?.leader;
        if (leader !== broker.nodeId) {
          partitionResponses.push({ index: p.index, errorCode: 6, baseOffset: -1n, errorMessage: null });
          continue;
        }
        const fault = this.faults.get(key)?.shift();
        if (fault && 'disconnect' in fault) return 'disconnect';
        partitionResponses.push({ index: p.index, ...this.appendBatch(key, p.records as Buffer, fault) });
      }
      responses.push({ name: topic.name, partitionResponses });
    }
    return { responses, throttleTimeMs: 0 };
  }

  private appendBatch(
    key: string,
    batch: Buffer,
    fault: { errorCode: number; append?: boolean } | undefined,
  ): Message {
    const log = this.logs.get(key) ?? [];
    this.logs.set(key, log);
    const header = readBatchHeader(batch);
    const none = {
      baseOffset: -1n,
      logAppendTimeMs: -1n,
      logStartOffset: 0n,
      recordErrors: [],
      errorMessage: null,
    };
    if (fault && !fault.append) return { ...none, errorCode: fault.errorCode };
    if (header.producerId >= 0n) {
      const id = `${header.producerId}:${key}`;
      const state = this.sequences.get(id) ?? { next: 0, recent: [] };
      this.sequences.set(id, state);
      const duplicate = state.recent.find((r) => r.seq === header.baseSequence);
      if (duplicate) return { ...none, errorCode: 0, baseOffset: duplicate.offset };
      if (header.baseSequence !== state.next) return { ...none, errorCode: 45 };
      state.next = header.baseSequence + header.recordCount;
      state.recent = [...state.recent, { seq: header.baseSequence, offset: BigInt(log.length) }].slice(-5);
    }
    const baseOffset = BigInt(log.length);
    (this.batches.get(key) ?? this.batches.set(key, []).get(key)!).push(header);
    for (const r of decodeRecords(batch).records) log.push({ ...r, offset: baseOffset + r.offset });
    // A fault with `append` loses the answer after the write (e.g. a timeout after the broker wrote it).
    if (fault) return { ...none, errorCode: fault.errorCode };
    return { ...none, errorCode: 0, baseOffset };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
