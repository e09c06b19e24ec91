import { defer, type Observable, timer } from 'rxjs';
import { map } from 'rxjs/operators';
import type { ApiSpec, Message } from '../../src/protocol/spec';
import type { ResponseOf } from '../../src/protocol/spec-types';
import type { DecodedRecord } from '../../src/protocol/records';
import type { RequestArgs } from './request-args';
import {
  readBatchHeader,
  ScriptedProducerCluster,
  type ScriptedProducerClusterOptions,
} from './scripted-producer-cluster';

const TXN_APIS = new Set([
  'InitProducerId',
  'AddPartitionsToTxn',
  'AddOffsetsToTxn',
  'TxnOffsetCommit',
  'EndTxn',
]);

interface OpenTransaction {
  /** Per `topic/partition`: the log length when the partition was added. */
  readonly from: Map<string, number>;
  readonly offsets: Map<string, bigint>;
}

interface TransactionRange {
  readonly key: string;
  readonly from: number;
  readonly to: number;
  readonly committed: boolean;
}

/**
 * The scripted cluster plus a transaction coordinator that behaves as Kafka's does for one client:
 * InitProducerId bumps the epoch of a known transactionalId (fencing the older producer),
 * requests with an older epoch get PRODUCER_FENCED (INVALID_PRODUCER_EPOCH for Produce), EndTxn
 * makes the records written since AddPartitionsToTxn visible (commit) or not (abort), and offsets
 * sent with TxnOffsetCommit become the group's committed offsets only on commit. A Produce to a
 * partition not added to the open transaction is recorded in `violations`. Error codes can be
 * queued per API name.
 */
export class TransactionCluster extends ScriptedProducerCluster {
  readonly violations: string[] = [];
  /** Group id → `topic/partition` → committed offset. */
  readonly committed = new Map<string, Map<string, bigint>>();
  private readonly apiFaults = new Map<string, number[]>();
  private readonly producers = new Map<string, { producerId: bigint; epoch: number }>();
  private readonly open = new Map<string, OpenTransaction>();
  private readonly ranges: TransactionRange[] = [];
  private readonly rtt: number;

  constructor(options: ScriptedProducerClusterOptions) {
    super(options);
    this.rtt = options.rttMs ?? 1;
  }

  /** The next requests of this API answer these error codes, in order. */
  failNext(api: string, ...codes: number[]): void {
    this.apiFaults.set(api, [...(this.apiFaults.get(api) ?? []), ...codes]);
  }

  /** What a read_committed consumer sees: records not in an aborted or still open transaction. */
  visible(topic: string, partition: number): DecodedRecord[] {
    const key = `${topic}/${partition}`;
    const log = this.log(topic, partition);
    const hidden = (offset: number) =>
      this.ranges.some((r) => r.key === key && !r.committed && offset >= r.from && offset < r.to) ||
      [...this.open.values()].some((t) => t.from.has(key) && offset >= t.from.get(key)!);
    return log.filter((_, offset) => !hidden(offset));
  }

  apiRequests(api: string): Message[] {
    return this.requests.filter((r) => r.api === api).map((r) => r.body);
  }

  override request<A extends ApiSpec>(...args: RequestArgs<A>): Observable<ResponseOf<A>> {
    const [broker, api, body, options] = args;
    if (api.name === 'Produce') {
      return defer(() => {
        const message = typeof body === 'function' ? body(api.maxVersion) : body;
        this.checkProduce(message);
        return super.request(broker, api, message, options);
      });
    }
    if (!TXN_APIS.has(api.name)) return super.request(...args);
    return defer(() => {
      const version = Math.min(api.maxVersion, 3);
      const message: Message = typeof body === 'function' ? body(version) : body;
      this.requests.push({ at: this.clock.now(), broker, api: api.name, body: message, options });
      const fault = this.apiFaults.get(api.name)?.shift();
      const response = this.answer(api.name, message, fault ?? 0);
      return timer(this.rtt, this.clock).pipe(map(() => response as ResponseOf<A>));
    });
  }

  private answer(api: string, body: Message, fault: number): Message {
    const id = (body.transactionalId ?? body.v3AndBelowTransactionalId) as string | null;
    const producer = id === null ? undefined : this.producers.get(id);
    const fenced = () => {
      const pid = BigInt(body.producerId ?? body.v3AndBelowProducerId);
      const epoch = Number(body.producerEpoch ?? body.v3AndBelowProducerEpoch);
      return !producer || producer.producerId !== pid || producer.epoch !== epoch ? 90 : 0;
    };
    switch (api) {
      case 'InitProducerId': {
        if (fault) return { throttleTimeMs: 0, errorCode: fault, producerId: -1n, producerEpoch: -1 };
        if (id === null)
          return { throttleTimeMs: 0, errorCode: 0, producerId: this.nextProducerId++, producerEpoch: 0 };
        const next = producer
          ? { producerId: producer.producerId, epoch: producer.epoch + 1 }
          : { producerId: this.nextProducerId++, epoch: 0 };
        this.producers.set(id, next);
        // Kafka expects sequence 0 again from a new epoch; the scripted cluster keys them by producer id only.
        const sequences = (this as unknown as { sequences: Map<string, unknown> }).sequences;
        for (const k of [...sequences.keys()]) if (k.startsWith(`${next.producerId}:`)) sequences.delete(k);
        // A new epoch aborts what the older producer left open.
        this.end(id, false);
        return { throttleTimeMs: 0, errorCode: 0, producerId: next.producerId, producerEpoch: next.epoch };
      }
      case 'AddPartitionsToTxn': {
        const code = fault || fenced();
        const txn = this.transaction(id!);
        const topics = (body.v3AndBelowTopics as Message[]).map((t) => ({
          name: t.name,
          resultsByPartition: (t.partitions as number[]).map((p) => {
            const key = `${t.name}/${p}`;
            if (!code && !txn.from.has(key)) txn.from.set(key, this.log(t.name, p).length);
            return { partitionIndex: p, partitionErrorCode: code };
          }),
        }));
        return { throttleTimeMs: 0, resultsByTopicV3AndBelow: topics };
      }
      case 'AddOffsetsToTxn':
        return { throttleTimeMs: 0, errorCode: fault || fenced() };
      case 'TxnOffsetCommit': {
        const code = fault || fenced();
        const txn = this.transaction(id!);
        return {
          throttleTimeMs: 0,
          topics: (body.topics as Message[]).map((t) => ({
            name: t.name,
            partitions: (t.partitions as Message[]).map((p) => {
              if (!code)
                txn.offsets.set(
                  `${body.groupId}\u0000${t.name}/${p.partitionIndex}`,
                  BigInt(p.committedOffset),
                );
              return { partitionIndex: p.partitionIndex, errorCode: code };
            }),
          })),
        };
      }
      case 'EndTxn': {
        const code = fault || fenced();
        if (!code) this.end(id!, body.committed as boolean);
        return { throttleTimeMs: 0, errorCode: code };
      }
    }
    throw new Error(`unexpected ${api}`);
  }

  private transaction(id: string): OpenTransaction {
    let txn = this.open.get(id);
    if (!txn) this.open.set(id, (txn = { from: new Map(), offsets: new Map() }));
    return txn;
  }

  private end(id: string, committed: boolean): void {
    const txn = this.open.get(id);
    if (!txn) return;
    this.open.delete(id);
    for (const [key, from] of txn.from) {
      const [topic, partition] = [
        key.slice(0, key.lastIndexOf('/')),
        Number(key.slice(key.lastIndexOf('/') + 1)),
      ];
      this.ranges.push({ key, from, to: this.log(topic, partition).length, committed });
    }
    if (!committed) return;
    for (const [k, offset] of txn.offsets) {
      const [group, tp] = k.split('\u0000');
      const offsets = this.committed.get(group) ?? new Map<string, bigint>();
      this.committed.set(group, offsets.set(tp, offset));
    }
  }

  private checkProduce(body: Message): void {
    const id = body.transactionalId as string | null;
    if (id === null) return;
    for (const topic of body.topicData as Message[]) {
      for (const p of topic.partitionData as Message[]) {
        const key = `${topic.name}/${p.index}`;
        if (!this.open.get(id)?.from.has(key))
          this.violations.push(`Produce to ${key} outside the transaction`);
        const header = readBatchHeader(p.records as Buffer);
        if ((header.attributes & 0x10) === 0)
          this.violations.push(`batch to ${key} not marked transactional`);
      }
    }
  }
}
