import { TestScheduler } from 'rxjs/testing';
import { map } from 'rxjs/operators';
import { createProducerOn, type ProducerConfig } from '../../src/producer';
import { ErrorCode } from '../../src/protocol/errors';
import { ScriptedProducerCluster } from '../support/scripted-producer-cluster';

function setup(scheduler: TestScheduler, config: Partial<ProducerConfig> = {}) {
  const cluster = new ScriptedProducerCluster({ clock: scheduler, topics: { t: 1 }, rttMs: 1 });
  const producer = createProducerOn(
    { brokers: [], lingerMs: 0, retryBackoffMs: 100, ...config },
    { cluster, ownsCluster: false },
  );
  return { cluster, producer };
}

const offsets = map((mds: { offset: bigint }[]) => mds.map((m) => m.offset));
const values = (cluster: ScriptedProducerCluster) => cluster.log('t', 0).map((r) => r.value?.toString());

describe('retries', () => {
  it('retries a retriable error after retryBackoffMs, refreshing metadata on NOT_LEADER_OR_FOLLOWER', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler, { idempotent: false, acks: 1 });
      cluster.fault('t', 0, { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER });
      expectObservable(producer.send({ topic: 't', value: 'a' }).pipe(offsets)).toBe('102ms (a|)', {
        a: [0n],
      });
      flush();
      expect(cluster.produceRequests().map((r) => r.at)).toEqual([0, 101]);
      expect(cluster.metadataRequests).toBeGreaterThanOrEqual(2);
    });
  });

  it('gives up after `retries` and reports the broker error by name', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler, { idempotent: false, acks: 1, retries: 2 });
      const fault = { errorCode: ErrorCode.NOT_ENOUGH_REPLICAS };
      cluster.fault('t', 0, fault, fault, fault, fault);
      const error$ = producer.send({ topic: 't', value: 'a' });
      expectObservable(error$).toBe(
        '203ms #',
        undefined,
        expect.objectContaining({
          name: 'NOT_ENOUGH_REPLICAS',
          code: 19,
          message: expect.stringContaining('t[0]'),
        }),
      );
      flush();
      expect(cluster.produceRequests().map((r) => r.at)).toEqual([0, 101, 202]);
    });
  });

  it('does not retry a non-retriable error', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      const { cluster, producer } = setup(scheduler, { idempotent: false, acks: 1 });
      cluster.fault('t', 0, { errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED });
      expectObservable(producer.send({ topic: 't', value: 'a' })).toBe(
        '1ms #',
        undefined,
        expect.objectContaining({ name: 'TOPIC_AUTHORIZATION_FAILED', retriable: false }),
      );
    });
  });

  it('retries after a dropped connection', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler, { idempotent: false, acks: 1 });
      cluster.fault('t', 0, { disconnect: true });
      expectObservable(producer.send({ topic: 't', value: 'a' }).pipe(offsets)).toBe('102ms (a|)', {
        a: [0n],
      });
      flush();
      expect(values(cluster)).toEqual(['a']);
    });
  });

  it('fails records not acknowledged within deliveryTimeoutMs', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      const { cluster, producer } = setup(scheduler, { idempotent: false, acks: 1, deliveryTimeoutMs: 250 });
      const fault = { errorCode: ErrorCode.NOT_ENOUGH_REPLICAS };
      cluster.fault('t', 0, fault, fault, fault, fault);
      expectObservable(producer.send({ topic: 't', value: 'a' })).toBe(
        '203ms #',
        undefined,
        expect.objectContaining({ name: 'NOT_ENOUGH_REPLICAS' }),
      );
    });
  });
});

describe('idempotence', () => {
  it('gets a producer id first and stamps batches with it and per-partition sequence numbers', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const { cluster, producer } = setup(scheduler, { batchBytes: 100 });
      producer.send(['a', 'b', 'c'].map((value) => ({ topic: 't', value: value.repeat(30) }))).subscribe();
      flush();
      expect(cluster.requests[0].api).toBe('InitProducerId');
      expect(cluster.requests[0].body).toMatchObject({ transactionalId: null });
      expect(cluster.produceRequests()[0].body.acks).toBe(-1);
      expect(cluster.batches.get('t/0')).toEqual([
        expect.objectContaining({ producerId: 1000n, producerEpoch: 0, baseSequence: 0, recordCount: 1 }),
        expect.objectContaining({ producerId: 1000n, producerEpoch: 0, baseSequence: 1, recordCount: 1 }),
        expect.objectContaining({ producerId: 1000n, producerEpoch: 0, baseSequence: 2, recordCount: 1 }),
      ]);
    });
  });

  it('never writes twice when an answer is lost after the write', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler);
      cluster.fault('t', 0, { errorCode: ErrorCode.REQUEST_TIMED_OUT, append: true });
      // InitProducerId 0-1 ms, first Produce 1-2 ms (written, answer lost), retry 102-103 ms.
      expectObservable(producer.send({ topic: 't', value: 'a' }).pipe(offsets)).toBe('103ms (a|)', {
        a: [0n],
      });
      flush();
      expect(values(cluster)).toEqual(['a']);
    });
  });

  it('without idempotence the same lost answer writes the record twice (the case above guards against)', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const { cluster, producer } = setup(scheduler, { idempotent: false });
      cluster.fault('t', 0, { errorCode: ErrorCode.REQUEST_TIMED_OUT, append: true });
      producer.send({ topic: 't', value: 'a' }).subscribe();
      flush();
      expect(values(cluster)).toEqual(['a', 'a']);
    });
  });

  it('keeps order with several batches in flight when the first fails: the rest come back out of order and are resent behind it', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler, { batchBytes: 100 });
      cluster.fault('t', 0, { errorCode: ErrorCode.NOT_ENOUGH_REPLICAS });
      const records = ['a', 'b', 'c', 'd'].map((value) => ({ topic: 't', value: value.repeat(30) }));
      expectObservable(producer.send(records).pipe(offsets)).toBe('106ms (a|)', { a: [0n, 1n, 2n, 3n] });
      flush();
      const produce = cluster.produceRequests();
      // Four batches in flight at 1 ms; after the first failed, one at a time until all are through.
      expect(produce.map((r) => r.at)).toEqual([1, 1, 1, 1, 102, 103, 104, 105]);
      expect(values(cluster)).toEqual(['a', 'b', 'c', 'd'].map((v) => v.repeat(30)));
    });
  });

  it('with idempotence off keeps one batch in flight per partition, so order still holds', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const { cluster, producer } = setup(scheduler, { idempotent: false, batchBytes: 100 });
      cluster.fault('t', 0, { errorCode: ErrorCode.NOT_ENOUGH_REPLICAS });
      producer.send(['a', 'b', 'c'].map((value) => ({ topic: 't', value: value.repeat(30) }))).subscribe();
      flush();
      expect(cluster.produceRequests().map((r) => r.at)).toEqual([0, 101, 102, 103]);
      expect(values(cluster)).toEqual(['a', 'b', 'c'].map((v) => v.repeat(30)));
    });
  });

  it('takes a new producer id after a batch failed for good, so later batches are not stuck out of order', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const { cluster, producer } = setup(scheduler);
      cluster.fault('t', 0, { errorCode: ErrorCode.INVALID_RECORD });
      const failed = jest.fn();
      producer.send({ topic: 't', value: 'a' }).subscribe({ error: failed });
      flush();
      expect(failed).toHaveBeenCalledWith(expect.objectContaining({ name: 'INVALID_RECORD' }));
      producer.send({ topic: 't', value: 'b' }).subscribe();
      flush();
      expect(cluster.requests.filter((r) => r.api === 'InitProducerId')).toHaveLength(2);
      expect(cluster.batches.get('t/0')).toEqual([
        expect.objectContaining({ producerId: 1001n, baseSequence: 0 }),
      ]);
      expect(values(cluster)).toEqual(['b']);
    });
  });
});

describe('acks=0', () => {
  it('asks the transport for no response and acknowledges once written, without offsets', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler, { acks: 0 });
      expectObservable(producer.send({ topic: 't', value: 'a' }).pipe(offsets)).toBe('1ms (a|)', {
        a: [-1n],
      });
      flush();
      const [request] = cluster.requests;
      expect(request.api).toBe('Produce');
      expect(request.body.acks).toBe(0);
      expect(request.options?.expectResponse).toBe(false);
      expect(cluster.batches.get('t/0')![0].producerId).toBe(-1n);
    });
  });

  it('refuses idempotence with acks other than all', () => {
    const cluster = new ScriptedProducerCluster({
      clock: new TestScheduler(() => undefined),
      topics: { t: 1 },
    });
    expect(() =>
      createProducerOn({ brokers: [], acks: 1, idempotent: true }, { cluster, ownsCluster: false }),
    ).toThrow(expect.objectContaining({ name: 'ConfigError' }));
  });
});
