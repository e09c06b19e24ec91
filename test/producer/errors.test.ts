import { TestScheduler } from 'rxjs/testing';
import { createProducerOn, type ProducerConfig } from '../../src/producer';
import { ErrorCode } from '../../src/protocol/errors';
import { batchEncoder } from '../../src/producer/producer';
import { resolveProducerConfig } from '../../src/producer/producer-config';
import { ScriptedProducerCluster } from '../support/scripted-producer-cluster';

const defaultEncoder = batchEncoder(resolveProducerConfig({ brokers: [] }));

function setup(scheduler: TestScheduler, config: Partial<ProducerConfig> = {}) {
  const cluster = new ScriptedProducerCluster({ clock: scheduler, topics: { t: 2 }, rttMs: 1 });
  const producer = createProducerOn({ brokers: [], lingerMs: 0, ...config }, { cluster, ownsCluster: false });
  return { cluster, producer };
}

describe('producer errors', () => {
  it('waits for an unknown topic, refreshing metadata, then fails with UNKNOWN_TOPIC_OR_PARTITION', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler, { maxBlockMs: 1000, retryBackoffMs: 250 });
      expectObservable(producer.send({ topic: 'nope', value: 'a' })).toBe(
        '1000ms #',
        undefined,
        expect.objectContaining({
          name: 'UNKNOWN_TOPIC_OR_PARTITION',
          code: 3,
          message: expect.stringContaining('"nope"'),
        }),
      );
      flush();
      // At 0, 250, 500 and 750; the maxBlockMs timer, set at 0, fires at 1000 before the next refresh.
      expect(cluster.metadataRequests).toBe(4);
    });
  });

  it('sends once a topic that did not exist appears', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, cold }) => {
      const { cluster, producer } = setup(scheduler, { retryBackoffMs: 100 });
      cold('150ms x').subscribe(() => cluster.addTopic('late', 1));
      // Found at the 200 ms refresh; InitProducerId 200-201 ms, Produce 201-202 ms.
      expectObservable(producer.send({ topic: 'late', value: 'a' })).toBe('202ms (a|)', {
        a: [{ topic: 'late', partition: 0, offset: 0n, timestamp: 200 }],
      });
    });
  });

  it('after a failed InitProducerId asks for a producer id again only when there is something to send', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler);
      cluster.initProducerIdErrors.push(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
      expectObservable(producer.send({ topic: 't', partition: 0, value: 'a' })).toBe(
        '1ms #',
        undefined,
        expect.objectContaining({ name: 'CLUSTER_AUTHORIZATION_FAILED' }),
      );
      cold('50ms x').subscribe(() => producer.send({ topic: 't', partition: 0, value: 'b' }).subscribe());
      flush();
      // Nothing waited between the failure and the next send: no InitProducerId in between.
      expect(cluster.requests.map((r) => `${r.at} ${r.api}`)).toEqual([
        '0 InitProducerId',
        '50 InitProducerId',
        '51 Produce',
      ]);
      expect(cluster.log('t', 0).map((r) => r.value?.toString())).toEqual(['b']);
    });
  });

  it('rejects a record larger than maxRequestSize before sending anything', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, producer } = setup(scheduler, { maxRequestSize: 1000 });
      const records = [
        { topic: 't', value: 'small' },
        { topic: 't', value: Buffer.alloc(1000) },
      ];
      expectObservable(producer.send(records)).toBe(
        '#',
        undefined,
        expect.objectContaining({
          name: 'RecordTooLargeError',
          message: expect.stringContaining('maxRequestSize (1000 bytes)'),
        }),
      );
      flush();
      expect(cluster.produceRequests()).toHaveLength(0);
    });
  });

  it("turns the broker's MESSAGE_TOO_LARGE into a RecordTooLargeError", () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      const { cluster, producer } = setup(scheduler, { idempotent: false });
      cluster.fault('t', 0, { errorCode: ErrorCode.MESSAGE_TOO_LARGE });
      expectObservable(producer.send({ topic: 't', partition: 0, value: 'a' })).toBe(
        '1ms #',
        undefined,
        expect.objectContaining({
          name: 'RecordTooLargeError',
          code: 10,
          message: expect.stringContaining('max.message.bytes'),
        }),
      );
    });
  });

  it('rejects a partition the topic does not have, and bad values', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      const { producer } = setup(scheduler);
      expectObservable(producer.send({ topic: 't', partition: 2, value: 'a' })).toBe(
        '#',
        undefined,
        expect.objectContaining({
          name: 'InvalidRecordError',
          message: expect.stringContaining('partition 2 of "t" does not exist'),
        }),
      );
      expectObservable(producer.send({ topic: 't', value: 42 as unknown as string })).toBe(
        '#',
        undefined,
        expect.objectContaining({ name: 'InvalidRecordError' }),
      );
      expectObservable(producer.send({ topic: '', value: 'a' })).toBe(
        '#',
        undefined,
        expect.objectContaining({ name: 'InvalidRecordError' }),
      );
    });
  });

  it('close flushes what is pending, then refuses new records', async () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const { cluster, producer } = setup(scheduler, { lingerMs: 1000, idempotent: false });
    const acked = jest.fn();
    producer.send({ topic: 't', value: 'a' }).subscribe(acked);
    const closed = producer.close();
    scheduler.flush();
    await closed;
    expect(acked).toHaveBeenCalledTimes(1);
    expect(cluster.log('t', 0).length + cluster.log('t', 1).length).toBe(1);
    const error = jest.fn();
    producer.send({ topic: 't', value: 'b' }).subscribe({ error });
    expect(error).toHaveBeenCalledWith(expect.objectContaining({ name: 'ProducerClosedError' }));
  });
});

describe('a batch that cannot be encoded', () => {
  it('fails its records with the encoder error instead of hanging, and later batches still go', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, flush }) => {
      const cluster = new ScriptedProducerCluster({ clock: scheduler, topics: { t: 1 }, rttMs: 1 });
      let calls = 0;
      const producer = createProducerOn(
        { brokers: [], lingerMs: 0 },
        {
          cluster,
          ownsCluster: false,
          encoder: (batch, transactional) => {
            if (calls++ === 0) throw new Error('no encoder for this codec');
            return defaultEncoder(batch, transactional);
          },
        },
      );
      expectObservable(producer.send({ topic: 't', value: 'a' })).toBe(
        '1ms #',
        undefined,
        new Error('no encoder for this codec'),
      );
      flush();
      producer.send({ topic: 't', value: 'b' }).subscribe();
      flush();
      expect(cluster.batches.get('t/0')).toEqual([expect.objectContaining({ baseSequence: 0 })]);
    });
  });
});
