import { tracingChannel } from 'node:diagnostics_channel';
import { Subject } from 'rxjs';
import type { ProduceBatchTrace } from '../../src/diagnostics';
import { batchEncoder } from '../../src/producer/producer';
import type { ProducerBatch, ProducerIdentity } from '../../src/producer/producer-batch';
import { resolveProducerConfig, type ProducerConfig } from '../../src/producer/producer-config';
import { ProducerMetadata } from '../../src/producer/producer-metadata';
import { RecordAccumulator } from '../../src/producer/record-accumulator';
import { Sender, type BatchEncoder, type SenderGuard } from '../../src/producer/sender';
import { ErrorCode } from '../../src/protocol/errors';
import type { Clock } from '../../src/time/clock';
import { AnswerableProduceCluster } from '../support/answerable-produce-cluster';
import { readBatchHeader } from '../support/scripted-producer-cluster';
import { virtualClock } from '../support/virtual-time';

// The sender on its own: a real accumulator and metadata, and a cluster whose Produce requests the
// test answers by hand, so every request, its contents and every batch's outcome can be pinned.

/** The idempotence state as the sender sees it, with what it was asked. */
class StubGuard implements SenderGuard {
  current: ProducerIdentity | undefined = { producerId: 7n, producerEpoch: 0 };
  identityCalls = 0;
  /** `topic[partition]`s a transaction has not added yet. */
  readonly notAdded = new Set<string>();
  readonly broken: string[] = [];
  readonly wake$ = new Subject<void>();

  identity(): ProducerIdentity | undefined {
    this.identityCalls++;
    return this.current;
  }

  mayWrite(topic: string, partition: number): boolean {
    return !this.notAdded.has(`${topic}[${partition}]`);
  }

  sequenceBroken(batch: ProducerBatch, error: unknown): void {
    this.broken.push(`${batch.topic}[${batch.partition}] ${(error as Error).name}`);
  }
}

interface Setup {
  config?: Partial<ProducerConfig>;
  /** Per topic, the leader of each partition; default `t` with partitions led by brokers 1 and 2. */
  leaders?: Record<string, number[]>;
  guard?: SenderGuard;
  /** The accumulator's own linger and delivery timers, when a test needs them apart from the sender's. */
  accumulator?: { lingerMs?: number; deliveryTimeoutMs?: number };
  encoder?: (encode: BatchEncoder) => BatchEncoder;
  /** How far ahead of the sender's clock the accumulator's runs (a timer that fired early). */
  aheadMs?: number;
}

function setup(s: Setup = {}) {
  const clock = virtualClock();
  const config = resolveProducerConfig({
    brokers: [],
    clock,
    acks: 1,
    idempotent: false,
    lingerMs: 0,
    retryBackoffMs: 100,
    ...s.config,
  });
  const cluster = new AnswerableProduceCluster(clock, s.leaders ?? { t: [1, 2] });
  const metadata = new ProducerMetadata(cluster, config);
  metadata.update(cluster.snapshot());
  const accumulatorClock: Clock = {
    now: () => clock.now() + (s.aheadMs ?? 0),
    schedule: clock.schedule.bind(clock),
  };
  const accumulator = new RecordAccumulator({
    clock: accumulatorClock,
    batchBytes: config.batchBytes,
    lingerMs: s.accumulator?.lingerMs ?? config.lingerMs,
    deliveryTimeoutMs: s.accumulator?.deliveryTimeoutMs ?? config.deliveryTimeoutMs,
    bufferMemory: config.bufferMemory,
    onRoom: () => undefined,
    onReady: () => sender.run(),
    onDeliveryTimeout: (batch) => sender.expire(batch),
    onBatchClosed: () => undefined,
  });
  const encodes: string[] = [];
  const real = batchEncoder(config);
  const encode = s.encoder ? s.encoder(real) : real;
  const labels = new Map<ProducerBatch, string>();
  const sender: Sender = new Sender(
    config,
    cluster,
    metadata,
    accumulator,
    (batch, transactional) => {
      encodes.push(labels.get(batch)!);
      return encode(batch, transactional);
    },
    s.guard,
  );
  const outcomes: string[] = [];

  /** Appends records (each value one record) to a partition's open batch, without waking the sender. */
  function append(where: string, ...values: string[]): ProducerBatch {
    const [, topic, partition] = /^(.*)\[(\d+)\]$/.exec(where)!;
    let batch!: ProducerBatch;
    for (const value of values) {
      batch = accumulator.append(topic, Number(partition), { topic, value }, clock.now(), value.length + 20);
    }
    if (!labels.has(batch)) {
      labels.set(batch, values.join(','));
      batch.ack$.subscribe({
        next: (ack) => outcomes.push(`${labels.get(batch)}: offset ${ack.baseOffset} at ${clock.now()}`),
        error: (e: Error) => outcomes.push(`${labels.get(batch)}: ${e.name} at ${clock.now()}: ${e.message}`),
      });
    }
    return batch;
  }

  /** A full batch of these records, without a round. */
  function ready(where: string, ...values: string[]): ProducerBatch {
    const batch = append(where, ...values);
    accumulator.close(batch);
    return batch;
  }

  /** A full batch of these records, then a round (as a send does). */
  function send(where: string, ...values: string[]): ProducerBatch {
    const batch = ready(where, ...values);
    sender.run();
    return batch;
  }

  const requests = () => cluster.produces.map((p) => `${p.at} broker${p.broker}: ${p.batches.join(' | ')}`);
  return {
    clock,
    config,
    cluster,
    metadata,
    accumulator,
    sender,
    outcomes,
    encodes,
    append,
    ready,
    send,
    requests,
  };
}

describe('Sender: one Produce request per broker per round', () => {
  it('puts the ready batches of one leader in one request, with acks, timeout and transactional id', () => {
    const { cluster, send, sender, outcomes } = setup({
      leaders: { t: [1, 2, 1], u: [1] },
      config: { requestTimeoutMs: 1234 },
    });
    sender.flushing++;
    send('t[0]', 'a');
    sender.flushing--;
    expect(cluster.produces).toHaveLength(1);
    cluster.produces[0].ok(5n);
    send('t[2]', 'b', 'c');
    send('u[0]', 'd');
    send('t[1]', 'e');
    expect(cluster.produces.map((p) => [p.broker, p.batches])).toEqual([
      [1, ['t[0]: a']],
      [1, ['t[2]: b,c']],
      [1, ['u[0]: d']],
      [2, ['t[1]: e']],
    ]);
    const body = cluster.produces[0].body;
    expect(body).toEqual({
      transactionalId: null,
      acks: 1,
      timeoutMs: 1234,
      topicData: [{ name: 't', partitionData: [{ index: 0, records: expect.any(Buffer) }] }],
    });
    expect(cluster.produces[0].options).toEqual({ timeoutMs: 1234, expectResponse: true });
    expect(outcomes).toEqual(['a: offset 5 at 0']);
  });

  it('gathers what is ready in one round: partitions of one leader and topics side by side', () => {
    const { cluster, append, sender, requests } = setup({ leaders: { t: [1, 2, 1], u: [1] } });
    append('t[0]', 'a');
    append('t[1]', 'b');
    append('u[0]', 'c');
    append('t[2]', 'd');
    sender.run();
    expect(requests()).toEqual(['0 broker1: t[0]: a | t[2]: d | u[0]: c', '0 broker2: t[1]: b']);
    expect(cluster.produces[0].body.topicData.map((t: { name: string }) => t.name)).toEqual(['t', 'u']);
  });

  it('sends nothing, not even an empty request, when the only ready batch cannot be encoded', () => {
    const { cluster, send, outcomes } = setup({
      encoder: (real) => (batch, tx) => {
        if (batch.partition === 0) throw new Error('cannot encode');
        return real(batch, tx);
      },
    });
    send('t[0]', 'a');
    expect(cluster.produces).toHaveLength(0);
    expect(outcomes).toEqual(['a: Error at 0: cannot encode']);
    send('t[1]', 'b');
    expect(cluster.produces.map((p) => p.batches)).toEqual([['t[1]: b']]);
  });

  it('keeps a request within maxRequestSize: what does not fit goes in the next one, a lone large batch goes alone', () => {
    const probe = setup();
    const one = batchEncoder(probe.config)(probe.append('t[0]', 'aaaa'), false).length;
    const { cluster, append, sender, requests } = setup({
      leaders: { t: [1, 1, 1, 1] },
      config: { maxRequestSize: 2 * one, maxInFlightPerBroker: 5 },
    });
    append('t[0]', 'aaaa');
    append('t[1]', 'bbbb');
    append('t[2]', 'cccc');
    const large = Array.from({ length: 12 }, (_, i) => `d${i}`);
    append('t[3]', ...large);
    sender.run();
    expect(requests()).toEqual([
      '0 broker1: t[0]: aaaa | t[1]: bbbb',
      '0 broker1: t[2]: cccc',
      `0 broker1: t[3]: ${large.join(',')}`,
    ]);
    expect(cluster.produces[2].body.topicData[0].partitionData[0].records.length).toBeGreaterThan(2 * one);
  });

  it('asks for no answer with acks=0 and acknowledges what was written without an offset', () => {
    const { cluster, send, outcomes } = setup({ config: { acks: 0 } });
    const batch = send('t[0]', 'a');
    expect(cluster.produces[0].options).toEqual({ timeoutMs: 30000, expectResponse: false });
    expect(cluster.produces[0].body.acks).toBe(0);
    cluster.produces[0].respond(undefined);
    expect(outcomes).toEqual(['a: offset -1 at 0']);
    expect(batch.ack).toEqual({ baseOffset: -1n, logAppendTimeMs: -1 });
  });
});

describe('Sender: in flight', () => {
  it('keeps at most maxInFlightPerBroker requests in flight per broker, counted per broker', () => {
    const { cluster, send, requests } = setup({
      leaders: { t: [1, 1, 1, 1, 2, 2] },
      config: { maxInFlightPerBroker: 2 },
    });
    for (const p of [0, 1, 2, 3, 4]) send(`t[${p}]`, `v${p}`);
    expect(requests()).toEqual(['0 broker1: t[0]: v0', '0 broker1: t[1]: v1', '0 broker2: t[4]: v4']);
    // An answer frees one slot: one more request, not two.
    cluster.produces[0].ok();
    expect(requests().slice(3)).toEqual(['0 broker1: t[2]: v2 | t[3]: v3']);
    cluster.produces[1].ok();
    send('t[5]', 'v5');
    expect(requests().slice(4)).toEqual(['0 broker2: t[5]: v5']);
    send('t[0]', 'w0');
    expect(requests().slice(5)).toEqual(['0 broker1: t[0]: w0']);
    send('t[1]', 'w1');
    expect(requests()).toHaveLength(6);
  });

  it('frees the slot of a request that failed, and of one that completed without an answer, and sends what waited', () => {
    const { cluster, send, requests } = setup({
      leaders: { t: [1, 1, 1] },
      config: { maxInFlightPerBroker: 1 },
    });
    send('t[0]', 'a');
    send('t[1]', 'b');
    expect(requests()).toEqual(['0 broker1: t[0]: a']);
    cluster.produces[0].complete();
    expect(requests().slice(1)).toEqual(['0 broker1: t[1]: b']);
    send('t[2]', 'c');
    expect(requests()).toHaveLength(2);
    cluster.produces[1].fail(
      Object.assign(new Error('dropped'), { name: 'ConnectionError', retriable: true }),
    );
    expect(requests().slice(2)).toEqual(['0 broker1: t[2]: c']);
  });

  it('without idempotence sends one batch per partition at a time', () => {
    const { cluster, send, requests, outcomes } = setup({ config: { maxInFlightPerBroker: 5 } });
    send('t[0]', 'a');
    send('t[0]', 'b');
    expect(requests()).toEqual(['0 broker1: t[0]: a']);
    cluster.produces[0].ok(0n);
    expect(requests()).toEqual(['0 broker1: t[0]: a', '0 broker1: t[0]: b']);
    cluster.produces[1].ok(1n);
    expect(outcomes).toEqual(['a: offset 0 at 0', 'b: offset 1 at 0']);
  });

  it('idempotent: several batches of a partition in flight, up to maxInFlightPerBroker, in sequence order', () => {
    const guard = new StubGuard();
    const { ready, sender, requests } = setup({
      guard,
      config: { idempotent: true, acks: 'all', maxInFlightPerBroker: 3 },
    });
    ready('t[0]', 'a', 'b');
    ready('t[0]', 'c');
    ready('t[0]', 'd');
    ready('t[0]', 'e');
    sender.run();
    expect(requests()).toEqual([
      '0 broker1: t[0]: a,b (7/0/0)',
      '0 broker1: t[0]: c (7/0/2)',
      '0 broker1: t[0]: d (7/0/3)',
    ]);
  });

  it('idempotent: while a retried batch waits, one batch of its partition in flight', () => {
    const guard = new StubGuard();
    const { clock, cluster, send, requests, outcomes } = setup({
      guard,
      config: { idempotent: true, acks: 'all', maxInFlightPerBroker: 3 },
    });
    send('t[0]', 'a');
    send('t[0]', 'b');
    cluster.produces[0].answer({ 't[0]': { errorCode: ErrorCode.NOT_ENOUGH_REPLICAS } });
    cluster.produces[1].answer({ 't[0]': { errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER } });
    send('t[0]', 'c');
    expect(requests()).toEqual(['0 broker1: t[0]: a (7/0/0)', '0 broker1: t[0]: b (7/0/1)']);
    clock.advanceTo(100);
    expect(requests().slice(2)).toEqual(['100 broker1: t[0]: a (7/0/0)']);
    // Once it has gone, the batches behind it may follow it at once.
    cluster.produces[2].ok(0n);
    expect(requests().slice(3)).toEqual(['100 broker1: t[0]: b (7/0/1)', '100 broker1: t[0]: c (7/0/2)']);
    cluster.produces[3].ok(1n);
    cluster.produces[4].ok(2n);
    expect(outcomes).toEqual(['a: offset 0 at 100', 'b: offset 1 at 100', 'c: offset 2 at 100']);
  });

  it('ignores the completion that follows an answer: nothing is settled or sent twice', () => {
    const { cluster, send, requests, outcomes } = setup({ config: { maxInFlightPerBroker: 1 } });
    send('t[0]', 'a');
    send('t[1]', 'b');
    cluster.produces[0].ok(3n); // answer, then complete
    expect(requests()).toEqual(['0 broker1: t[0]: a', '0 broker2: t[1]: b']);
    send('t[0]', 'c');
    expect(requests()).toEqual(['0 broker1: t[0]: a', '0 broker2: t[1]: b', '0 broker1: t[0]: c']);
    send('t[0]', 'd');
    expect(requests()).toHaveLength(3);
    expect(outcomes).toEqual(['a: offset 3 at 0']);
  });
});

describe('Sender: readiness', () => {
  it('sends a batch once it has lingered lingerMs (by the clock, even without the linger timer), or at once while flushing', () => {
    const { clock, cluster, append, sender, requests } = setup({
      config: { lingerMs: 10 },
      accumulator: { lingerMs: 0 },
    });
    clock.advanceTo(5);
    append('t[0]', 'a');
    sender.run();
    clock.advanceTo(14);
    sender.run();
    expect(cluster.produces).toHaveLength(0);
    clock.advanceTo(15);
    sender.run();
    expect(requests()).toEqual(['15 broker1: t[0]: a']);
    append('t[1]', 'b');
    sender.run();
    expect(cluster.produces).toHaveLength(1);
    sender.flushing++;
    sender.run();
    expect(requests().slice(1)).toEqual(['15 broker2: t[1]: b']);
  });

  it('sends a closed (full) batch at once, whatever lingerMs', () => {
    const { send, requests } = setup({ config: { lingerMs: 1000 } });
    send('t[0]', 'a');
    expect(requests()).toEqual(['0 broker1: t[0]: a']);
  });

  it('with lingerMs 0 sends a batch the clock says was made a millisecond from now', () => {
    const { send, requests } = setup({ aheadMs: 1 });
    const batch = send('t[0]', 'a');
    expect(batch.createdAt).toBe(1);
    expect(requests()).toEqual(['0 broker1: t[0]: a']);
  });

  it('sends a retry when its backoff ends, not before, even while lingering and not flushing', () => {
    const { clock, cluster, send, requests } = setup({ config: { lingerMs: 1000 } });
    send('t[0]', 'a');
    cluster.produces[0].answer({ 't[0]': { errorCode: ErrorCode.NOT_ENOUGH_REPLICAS } });
    clock.advanceTo(99);
    expect(cluster.produces).toHaveLength(1);
    clock.advanceTo(100);
    expect(requests()).toEqual(['0 broker1: t[0]: a', '100 broker1: t[0]: a']);
  });
});

describe('Sender: a partition without a leader', () => {
  it('sends the other partitions, refreshes metadata once, and sends it when a leader is known', () => {
    const { clock, cluster, send, requests, metadata } = setup({ leaders: { t: [-1, 2] } });
    const before = cluster.metadataRequests;
    send('t[0]', 'a');
    send('t[1]', 'b');
    expect(requests()).toEqual(['0 broker2: t[1]: b']);
    expect(cluster.metadataRequests).toBe(before + 1);
    cluster.leaders.t[0] = 1;
    expect(metadata.leaderOf('t', 0)).toBeUndefined();
    // The next refresh waits retryBackoffMs after the last one.
    clock.advanceTo(100);
    expect(requests()).toEqual(['0 broker2: t[1]: b', '100 broker1: t[0]: a']);
    expect(cluster.metadataRequests).toBe(before + 2);
    // With every leader known, rounds ask for no metadata.
    clock.advanceTo(1000);
    cluster.produces[1].ok();
    send('t[0]', 'c');
    expect(requests().slice(2)).toEqual(['1000 broker1: t[0]: c']);
    expect(cluster.metadataRequests).toBe(before + 2);
  });
});

describe('Sender: transactions', () => {
  it('marks the batches of a transactional producer, and names its transactional id', () => {
    const guard = new StubGuard();
    const { cluster, send } = setup({
      guard,
      config: { idempotent: true, acks: 'all', transactionalId: 'orders-1' },
    });
    send('t[0]', 'a');
    const records = cluster.produces[0].body.topicData[0].partitionData[0].records as Buffer;
    expect(cluster.produces[0].body.transactionalId).toBe('orders-1');
    // Bit 4 of the record batch attributes: isTransactional (Kafka's protocol docs).
    expect(readBatchHeader(records).attributes & 0x10).toBe(0x10);
  });

  it('does not mark the batches of a producer without transactions', () => {
    const guard = new StubGuard();
    const { cluster, send } = setup({ guard, config: { idempotent: true, acks: 'all' } });
    send('t[0]', 'a');
    const records = cluster.produces[0].body.topicData[0].partitionData[0].records as Buffer;
    expect(readBatchHeader(records).attributes & 0x10).toBe(0);
  });

  it('holds a partition back until the transaction has added it, without closing its batch', () => {
    const guard = new StubGuard();
    guard.notAdded.add('t[0]');
    const { append, sender, requests } = setup({ guard, config: { idempotent: true, acks: 'all' } });
    const first = append('t[0]', 'a');
    append('t[1]', 'b');
    sender.run();
    expect(requests()).toEqual(['0 broker2: t[1]: b (7/0/0)']);
    expect(first.closed).toBe(false);
    expect(append('t[0]', 'c')).toBe(first);
    guard.notAdded.clear();
    sender.run();
    expect(requests().slice(1)).toEqual(['0 broker1: t[0]: a,c (7/0/0)']);
  });
});

describe('Sender: the idempotent producer', () => {
  it('asks for a producer id only when a batch waits, and sends nothing until it has one', () => {
    const guard = new StubGuard();
    guard.current = undefined;
    const { cluster, append, sender, requests } = setup({ guard, config: { idempotent: true, acks: 'all' } });
    sender.run();
    expect(guard.identityCalls).toBe(0);
    append('t[0]', 'a');
    sender.run();
    expect(guard.identityCalls).toBe(1);
    expect(cluster.produces).toHaveLength(0);
    guard.current = { producerId: 9n, producerEpoch: 2 };
    sender.run();
    expect(requests()).toEqual(['0 broker1: t[0]: a (9/2/0)']);
  });

  it('numbers records per partition, wrapping after Int32.MAX', () => {
    const guard = new StubGuard();
    const { accumulator, send, requests } = setup({
      guard,
      config: { idempotent: true, acks: 'all' },
    });
    accumulator.queue('t', 1).nextSequence = 0x7ffffffe;
    send('t[0]', 'a', 'b');
    send('t[1]', 'c', 'd', 'e');
    send('t[1]', 'f');
    expect(requests()).toEqual([
      '0 broker1: t[0]: a,b (7/0/0)',
      '0 broker2: t[1]: c,d,e (7/0/2147483646)',
      '0 broker2: t[1]: f (7/0/1)',
    ]);
    expect(accumulator.queue('t', 0).nextSequence).toBe(2);
    expect(accumulator.queue('t', 1).nextSequence).toBe(2);
  });

  it('resends a retry as it was encoded, and stamps and encodes it again under a new producer epoch or id', () => {
    const guard = new StubGuard();
    const { clock, cluster, send, requests, encodes } = setup({
      guard,
      config: { idempotent: true, acks: 'all' },
    });
    send('t[0]', 'a');
    const retriable = { 't[0]': { errorCode: ErrorCode.NOT_ENOUGH_REPLICAS } };
    cluster.produces[0].answer(retriable);
    clock.advanceTo(100);
    cluster.produces[1].answer(retriable);
    guard.current = { producerId: 7n, producerEpoch: 1 };
    clock.advanceTo(200);
    cluster.produces[2].answer(retriable);
    guard.current = { producerId: 8n, producerEpoch: 1 };
    clock.advanceTo(300);
    expect(requests()).toEqual([
      '0 broker1: t[0]: a (7/0/0)',
      '100 broker1: t[0]: a (7/0/0)',
      '200 broker1: t[0]: a (7/1/1)',
      '300 broker1: t[0]: a (8/1/2)',
    ]);
    expect(encodes).toEqual(['a', 'a', 'a']);
  });

  it('gives the sequence numbers of a batch that cannot be encoded back, without breaking the sequence', () => {
    const guard = new StubGuard();
    const { send, requests, outcomes } = setup({
      guard,
      config: { idempotent: true, acks: 'all' },
      encoder: (real) => (batch, tx) => {
        if (batch.count === 2) throw new Error('cannot encode');
        return real(batch, tx);
      },
    });
    const bad = send('t[0]', 'a', 'b');
    send('t[0]', 'c');
    expect(requests()).toEqual(['0 broker1: t[0]: c (7/0/0)']);
    expect(outcomes).toEqual(['a,b: Error at 0: cannot encode']);
    expect(bad.stamp).toBeUndefined();
    expect(guard.broken).toEqual([]);
  });

  it('completes a batch the broker already has (DUPLICATE_SEQUENCE_NUMBER), without an offset', () => {
    const guard = new StubGuard();
    const { cluster, send, outcomes } = setup({ guard, config: { idempotent: true, acks: 'all' } });
    const batch = send('t[0]', 'a');
    cluster.produces[0].answer({
      't[0]': { errorCode: ErrorCode.DUPLICATE_SEQUENCE_NUMBER, baseOffset: 4n, logAppendTimeMs: 5n },
    });
    expect(outcomes).toEqual(['a: offset -1 at 0']);
    expect(batch.ack).toEqual({ baseOffset: -1n, logAppendTimeMs: -1 });
  });

  it('without a stamp DUPLICATE_SEQUENCE_NUMBER is an error like any other', () => {
    const { cluster, send, outcomes } = setup();
    send('t[0]', 'a');
    cluster.produces[0].answer({ 't[0]': { errorCode: ErrorCode.DUPLICATE_SEQUENCE_NUMBER } });
    expect(outcomes).toEqual([
      'a: DUPLICATE_SEQUENCE_NUMBER at 0: t[0]: The broker received a duplicate sequence number.',
    ]);
  });
});

describe('Sender: which earlier batch a failed idempotent one waits behind', () => {
  const idempotent = { idempotent: true, acks: 'all' as const, maxInFlightPerBroker: 5 };
  const outOfOrder = { errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };
  const notEnoughReplicas = { errorCode: ErrorCode.NOT_ENOUGH_REPLICAS };

  it('out of order behind an earlier batch being retried: follows it, in sequence order', () => {
    const guard = new StubGuard();
    const { clock, cluster, send, requests, outcomes } = setup({ guard, config: idempotent });
    send('t[0]', 'a');
    send('t[0]', 'b');
    send('t[0]', 'c');
    cluster.produces[0].ok(0n);
    cluster.produces[1].answer({ 't[0]': notEnoughReplicas });
    cluster.produces[2].answer({ 't[0]': outOfOrder });
    clock.advanceTo(100);
    cluster.produces[3].ok(1n);
    cluster.produces[4].ok(2n);
    expect(requests().slice(3)).toEqual(['100 broker1: t[0]: b (7/0/1)', '100 broker1: t[0]: c (7/0/2)']);
    expect(outcomes).toEqual(['a: offset 0 at 0', 'b: offset 1 at 100', 'c: offset 2 at 100']);
    expect(guard.broken).toEqual([]);
  });

  it('out of order with only later batches outstanding: fails for good, and the sequence is broken', () => {
    const guard = new StubGuard();
    const { cluster, send, outcomes } = setup({ guard, config: idempotent });
    send('t[0]', 'a');
    send('t[0]', 'b');
    cluster.produces[0].answer({ 't[0]': outOfOrder });
    expect(outcomes).toEqual([
      'a: OUT_OF_ORDER_SEQUENCE_NUMBER at 0: t[0]: The broker received an out of order sequence number.',
    ]);
    expect(guard.broken).toEqual(['t[0] OUT_OF_ORDER_SEQUENCE_NUMBER']);
  });

  it('an earlier batch of an older producer id is not one to wait behind', () => {
    const guard = new StubGuard();
    const { cluster, send, outcomes, accumulator } = setup({ guard, config: idempotent });
    send('t[0]', 'a');
    guard.current = { producerId: 8n, producerEpoch: 0 };
    accumulator.queue('t', 0).nextSequence = 5;
    send('t[0]', 'b');
    cluster.produces[1].answer({ 't[0]': outOfOrder });
    expect(outcomes).toEqual([
      'b: OUT_OF_ORDER_SEQUENCE_NUMBER at 0: t[0]: The broker received an out of order sequence number.',
    ]);
    expect(cluster.produces.map((p) => p.batches)).toEqual([['t[0]: a (7/0/0)'], ['t[0]: b (8/0/5)']]);
  });

  it('out of order behind an earlier batch still in flight: follows it', () => {
    const guard = new StubGuard();
    const { clock, cluster, send, requests, outcomes } = setup({ guard, config: idempotent });
    send('t[0]', 'a');
    send('t[0]', 'b');
    cluster.produces[1].answer({ 't[0]': outOfOrder });
    expect(outcomes).toEqual([]);
    cluster.produces[0].ok(0n);
    clock.advanceTo(100);
    cluster.produces[2].ok(1n);
    expect(requests()).toEqual([
      '0 broker1: t[0]: a (7/0/0)',
      '0 broker1: t[0]: b (7/0/1)',
      '100 broker1: t[0]: b (7/0/1)',
    ]);
    expect(outcomes).toEqual(['a: offset 0 at 0', 'b: offset 1 at 100']);
  });

  it.each([
    ['id', { producerId: 8n, producerEpoch: 0 }, '8/0/1'],
    ['epoch', { producerId: 7n, producerEpoch: 1 }, '7/1/1'],
  ])(
    'a batch stamped under an older producer %s is retried whatever the error, and is no sequence break',
    (_, identity, stamp) => {
      const guard = new StubGuard();
      const { clock, cluster, send, requests, outcomes } = setup({ guard, config: idempotent });
      send('t[0]', 'a');
      guard.current = identity;
      cluster.produces[0].answer({ 't[0]': outOfOrder });
      clock.advanceTo(100);
      expect(requests()).toEqual(['0 broker1: t[0]: a (7/0/0)', `100 broker1: t[0]: a (${stamp})`]);
      expect(guard.broken).toEqual([]);
      cluster.produces[1].answer({ 't[0]': { errorCode: ErrorCode.INVALID_RECORD } });
      expect(outcomes).toEqual([
        'a: INVALID_RECORD at 100: t[0]: This record has failed the validation on broker and hence will be rejected.',
      ]);
      expect(guard.broken).toEqual(['t[0] INVALID_RECORD']);
    },
  );

  it('a batch in flight when the producer id was dropped is stale: retried once there is a new one', () => {
    const guard = new StubGuard();
    const { clock, cluster, send, sender, requests } = setup({ guard, config: idempotent });
    send('t[0]', 'a');
    guard.current = undefined;
    cluster.produces[0].answer({ 't[0]': outOfOrder });
    clock.advanceTo(100);
    expect(cluster.produces).toHaveLength(1);
    guard.current = { producerId: 8n, producerEpoch: 0 };
    sender.run();
    expect(requests()).toEqual(['0 broker1: t[0]: a (7/0/0)', '100 broker1: t[0]: a (8/0/1)']);
    expect(guard.broken).toEqual([]);
  });

  it('a batch of an older producer id that fails for good is no sequence break', () => {
    const guard = new StubGuard();
    const { cluster, send, outcomes } = setup({ guard, config: { ...idempotent, retries: 0 } });
    send('t[0]', 'a');
    guard.current = { producerId: 8n, producerEpoch: 0 };
    cluster.produces[0].answer({ 't[0]': { errorCode: ErrorCode.INVALID_RECORD } });
    expect(outcomes).toEqual([
      'a: INVALID_RECORD at 0: t[0]: This record has failed the validation on broker and hence will be rejected.',
    ]);
    expect(guard.broken).toEqual([]);
  });
});

describe('Sender: answers', () => {
  it('fails a batch the answer says nothing of, and every batch of an answer without responses', () => {
    const { cluster, append, sender, outcomes } = setup({ leaders: { t: [1, 1] } });
    append('t[0]', 'a');
    append('t[1]', 'b');
    sender.run();
    cluster.produces[0].answer({ 't[1]': { baseOffset: 8n } });
    append('t[0]', 'c');
    sender.run();
    cluster.produces[1].respond({ throttleTimeMs: 0 });
    append('t[0]', 'd');
    sender.run();
    cluster.produces[2].respond({ responses: [{ name: 't' }], throttleTimeMs: 0 });
    expect(outcomes).toEqual([
      'a: ProduceError at 0: the Produce response says nothing of t[0]',
      'b: offset 8 at 0',
      'c: ProduceError at 0: the Produce response says nothing of t[0]',
      'd: ProduceError at 0: the Produce response says nothing of t[0]',
    ]);
    expect(cluster.produces).toHaveLength(3);
  });

  it('matches results by topic and partition, and passes LogAppendTime on', () => {
    const { cluster, append, sender, accumulator } = setup({ leaders: { t: [1, 1], u: [1] } });
    const a = append('t[0]', 'a');
    const b = append('t[1]', 'b');
    const c = append('u[0]', 'c');
    sender.run();
    cluster.produces[0].answer({
      'u[0]': { baseOffset: 30n },
      't[1]': { baseOffset: 20n, logAppendTimeMs: 1700000000000n },
      't[0]': { baseOffset: 10n, logAppendTimeMs: null },
    });
    expect([a.ack, b.ack, c.ack]).toEqual([
      { baseOffset: 10n, logAppendTimeMs: -1 },
      { baseOffset: 20n, logAppendTimeMs: 1700000000000 },
      { baseOffset: 30n, logAppendTimeMs: -1 },
    ]);
    expect(accumulator.queue('t', 0).inFlight).toEqual([]);
    expect(accumulator.queue('t', 0).waiting).toEqual([]);
  });

  it("names the broker's error with its message and each record's error", () => {
    const { cluster, send, outcomes } = setup();
    send('t[0]', 'a', 'b', 'c');
    cluster.produces[0].answer({
      't[0]': {
        errorCode: ErrorCode.INVALID_RECORD,
        errorMessage: 'One or more records have been rejected',
        recordErrors: [
          { batchIndex: 0, batchIndexErrorMessage: 'null key' },
          { batchIndex: 2, batchIndexErrorMessage: null },
        ],
      },
    });
    send('t[1]', 'd');
    cluster.produces[1].answer({ 't[1]': { errorCode: ErrorCode.INVALID_RECORD, recordErrors: null } });
    send('t[0]', 'e');
    cluster.produces[2].answer({
      't[0]': {
        errorCode: ErrorCode.INVALID_RECORD,
        errorMessage: null,
        recordErrors: [{ batchIndex: 0, batchIndexErrorMessage: 'null key' }],
      },
    });
    const invalid = 'This record has failed the validation on broker and hence will be rejected.';
    expect(outcomes).toEqual([
      `a,b,c: INVALID_RECORD at 0: t[0]: ${invalid} One or more records have been rejected; record 0: null key; record 2: `,
      `d: INVALID_RECORD at 0: t[1]: ${invalid}`,
      `e: INVALID_RECORD at 0: t[0]: ${invalid} record 0: null key`,
    ]);
  });

  it.each([
    ['MESSAGE_TOO_LARGE', ErrorCode.MESSAGE_TOO_LARGE],
    ['RECORD_LIST_TOO_LARGE', ErrorCode.RECORD_LIST_TOO_LARGE],
  ])('turns %s into a RecordTooLargeError naming the batch and its size', (name, code) => {
    const { cluster, send, outcomes } = setup();
    const batch = send('t[0]', 'a', 'b');
    const size = (cluster.produces[0].body.topicData[0].partitionData[0].records as Buffer).length;
    cluster.produces[0].answer({ 't[0]': { errorCode: code } });
    expect(outcomes).toEqual([
      `a,b: RecordTooLargeError at 0: t[0]: the broker rejected a batch of 2 record(s), ${size} bytes, as too large (${name}); ` +
        "lower batchBytes or raise the topic's max.message.bytes",
    ]);
    expect(batch.ack$.thrownError).toMatchObject({ code, retriable: false });
  });
});

describe('Sender: retries', () => {
  it('refreshes metadata after an error that invalidates it or one without a code, not after others', () => {
    const { clock, cluster, send } = setup();
    send('t[0]', 'a');
    const start = cluster.metadataRequests;
    cluster.produces[0].answer({ 't[0]': { errorCode: ErrorCode.NOT_ENOUGH_REPLICAS } });
    expect(cluster.metadataRequests).toBe(start);
    clock.advanceTo(100);
    cluster.produces[1].answer({ 't[0]': { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER } });
    expect(cluster.metadataRequests).toBe(start + 1);
    clock.advanceTo(200);
    cluster.produces[2].fail(
      Object.assign(new Error('dropped'), { name: 'ConnectionError', retriable: true }),
    );
    expect(cluster.metadataRequests).toBe(start + 2);
    clock.advanceTo(300);
    cluster.produces[3].complete();
    clock.advanceTo(400);
    expect(cluster.metadataRequests).toBe(start + 3);
    expect(cluster.produces.map((p) => p.at)).toEqual([0, 100, 200, 300, 400]);
  });

  it('retries a request that completed without an answer, and names it when out of retries', () => {
    const { clock, cluster, send, outcomes } = setup({ config: { retries: 1 } });
    send('t[0]', 'a');
    cluster.produces[0].complete();
    clock.advanceTo(100);
    expect(cluster.produces.map((p) => p.at)).toEqual([0, 100]);
    cluster.produces[1].complete();
    expect(outcomes).toEqual(['a: ProduceError at 100: Produce request completed without a response']);
  });

  it('gives up after `retries` retries', () => {
    const { clock, cluster, send, outcomes } = setup({ config: { retries: 1 } });
    send('t[0]', 'a');
    cluster.produces[0].answer({ 't[0]': { errorCode: ErrorCode.NOT_ENOUGH_REPLICAS } });
    clock.advanceTo(100);
    cluster.produces[1].answer({ 't[0]': { errorCode: ErrorCode.NOT_ENOUGH_REPLICAS } });
    clock.advanceTo(1000);
    expect(cluster.produces).toHaveLength(2);
    expect(outcomes).toEqual([
      'a: NOT_ENOUGH_REPLICAS at 100: t[0]: Messages are rejected since there are fewer in-sync replicas than required.',
    ]);
  });

  it('does not retry when the backoff would end at or past deliveryTimeoutMs: the error is the broker’s', () => {
    const { clock, cluster, send, outcomes } = setup({
      config: { deliveryTimeoutMs: 300, requestTimeoutMs: 100, lingerMs: 0 },
    });
    send('t[0]', 'a');
    send('t[1]', 'b');
    clock.advanceTo(199);
    cluster.produces[0].answer({ 't[0]': { errorCode: ErrorCode.NOT_ENOUGH_REPLICAS } });
    clock.advanceTo(200);
    cluster.produces[1].answer({ 't[1]': { errorCode: ErrorCode.NOT_ENOUGH_REPLICAS } });
    expect(outcomes).toEqual([
      'b: NOT_ENOUGH_REPLICAS at 200: t[1]: Messages are rejected since there are fewer in-sync replicas than required.',
    ]);
    clock.advanceTo(299);
    expect(cluster.produces.map((p) => `${p.at} ${p.batches}`)).toEqual([
      '0 t[0]: a',
      '0 t[1]: b',
      '299 t[0]: a',
    ]);
  });

  it('stop() cancels the retries waiting out their backoff', () => {
    const { clock, cluster, send, sender } = setup();
    send('t[0]', 'a');
    cluster.produces[0].answer({ 't[0]': { errorCode: ErrorCode.NOT_ENOUGH_REPLICAS } });
    sender.stop();
    clock.advanceTo(1000);
    expect(cluster.produces).toHaveLength(1);
  });
});

describe('Sender: deliveryTimeoutMs', () => {
  it('fails the batches that waited deliveryTimeoutMs unsent at the next round, and only those', () => {
    const { clock, cluster, send, sender, outcomes } = setup({
      config: { deliveryTimeoutMs: 100, requestTimeoutMs: 50 },
      accumulator: { deliveryTimeoutMs: 1e9 },
    });
    send('t[0]', 'a');
    send('t[0]', 'b');
    clock.advanceTo(1);
    send('t[0]', 'c');
    clock.advanceTo(99);
    sender.run();
    expect(outcomes).toEqual([]);
    clock.advanceTo(100);
    sender.run();
    expect(outcomes).toEqual([
      'b: DeliveryTimeoutError at 100: t[0]: 1 record(s) not acknowledged within deliveryTimeoutMs (100 ms)',
    ]);
    // The one in flight is left to its request.
    cluster.produces[0].ok(0n);
    expect(cluster.produces.map((p) => p.batches)).toEqual([['t[0]: a'], ['t[0]: c']]);
    expect(outcomes.slice(1)).toEqual(['a: offset 0 at 100']);
  });

  it('expire() leaves a batch in flight to its request, and fails one waiting, letting the next go', () => {
    const { clock, cluster, send, sender, outcomes, requests } = setup({
      config: { retryBackoffMs: 1000 },
    });
    const a = send('t[0]', 'a');
    sender.expire(a);
    expect(outcomes).toEqual([]);
    cluster.produces[0].answer({ 't[0]': { errorCode: ErrorCode.NOT_ENOUGH_REPLICAS } });
    send('t[0]', 'b');
    clock.advanceTo(10);
    sender.expire(a);
    expect(outcomes).toEqual([
      'a: DeliveryTimeoutError at 10: t[0]: 1 record(s) not acknowledged within deliveryTimeoutMs (120000 ms)',
    ]);
    expect(requests()).toEqual(['0 broker1: t[0]: a', '10 broker1: t[0]: b']);
    sender.expire(a);
    expect(outcomes).toHaveLength(1);
  });
});

describe('Sender: abandon', () => {
  it('fails every batch not settled, in flight or waiting, and forgets them', () => {
    const { cluster, send, sender, outcomes, accumulator, requests } = setup();
    send('t[0]', 'a');
    send('t[0]', 'b');
    send('t[1]', 'c');
    cluster.produces[1].ok(0n);
    send('t[1]', 'd');
    const closed = new Error('closed');
    sender.abandon(closed);
    expect(outcomes).toEqual([
      'c: offset 0 at 0',
      'a: Error at 0: closed',
      'b: Error at 0: closed',
      'd: Error at 0: closed',
    ]);
    for (const p of [0, 1]) {
      expect(accumulator.queue('t', p).inFlight).toEqual([]);
      expect(accumulator.queue('t', p).waiting).toEqual([]);
    }
    // A late answer settles nothing again and sends nothing more.
    cluster.produces[0].ok(5n);
    expect(outcomes).toHaveLength(4);
    expect(requests()).toEqual(['0 broker1: t[0]: a', '0 broker2: t[1]: c', '0 broker2: t[1]: d']);
  });
});

describe('Sender: kafka-rx:produce.batch', () => {
  const channel = tracingChannel<ProduceBatchTrace, ProduceBatchTrace>('kafka-rx:produce.batch');
  const started: ProduceBatchTrace[] = [];
  const ignore = () => undefined;
  const handlers = {
    start: (trace: ProduceBatchTrace) => started.push(trace),
    end: ignore,
    asyncStart: ignore,
    asyncEnd: ignore,
    error: ignore,
  };
  beforeEach(() => channel.subscribe(handlers));
  afterEach(() => channel.unsubscribe(handlers));

  it('tells each Produce request: client, broker, acks, and each batch with its records and bytes', () => {
    const { cluster, append, sender } = setup({ leaders: { t: [1, 1] }, config: { clientId: 'shop' } });
    append('t[0]', 'a', 'b');
    append('t[1]', 'c');
    sender.run();
    const bytes = cluster.produces[0].body.topicData[0].partitionData.map(
      (p: { records: Buffer }) => p.records.length,
    );
    expect(started).toEqual([
      {
        clientId: 'shop',
        broker: { host: 'broker1', port: 9092, nodeId: 1 },
        acks: 1,
        batches: [
          { topic: 't', partition: 0, records: 2, bytes: bytes[0] },
          { topic: 't', partition: 1, records: 1, bytes: bytes[1] },
        ],
        records: 3,
        bytes: bytes[0] + bytes[1],
      },
    ]);
  });
});
