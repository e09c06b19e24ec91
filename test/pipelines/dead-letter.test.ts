import { filter, map, take, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  createConsumer,
  createProducer,
  deadLetter,
  deadLetterHeaders,
  deserializers,
  ProcessingFailure,
  processWithRetries,
  type Producer,
} from '../../src';
import { eagerError } from '../../src/eager';
import { KafkaRxError } from '../../src/errors';
import { createMemoryTransport } from '../../src/transport';
import { createFakeCluster } from '../../src/testing';

interface Order {
  readonly id: string;
}

const text = (headers: Array<[string, Buffer | null]>): Record<string, string | null> =>
  Object.fromEntries(headers.map(([name, value]) => [name, value?.toString() ?? null]));

function setup(scheduler: TestScheduler) {
  const cluster = createFakeCluster({ topics: { orders: 1, 'orders.dlt': 1 }, clock: scheduler });
  cluster.append('orders', 0, [
    { key: 'a', value: '{"id":"a"}', headers: [['trace', 't-a']], timestamp: 1 },
    { key: 'b', value: '{"id":', headers: [['trace', 't-b']], timestamp: 2 },
    { key: 'c', value: '{"id":"c"}', timestamp: 3 },
    { key: 'd', value: '{"id":"d"}', timestamp: 4 },
  ]);
  const transport = createMemoryTransport({ handler: cluster.handler, clock: scheduler });
  const consumer = createConsumer({
    brokers: cluster.bootstrap,
    groupId: 'g',
    topics: ['orders'],
    fromBeginning: true,
    clock: scheduler,
    transport,
    deserializers: { key: deserializers.string, value: deserializers.json<Order>() },
  });
  const producer = createProducer({ brokers: cluster.bootstrap, clock: scheduler, transport, lingerMs: 5 });
  return { cluster, consumer, producer };
}

/** The offsets of the consumer's first commit with any (the consumer commits on close too). */
const firstCommit = (commits$: Observable<{ offsets: readonly { offset: bigint }[] }>) =>
  commits$.pipe(
    map((c) => c.offsets.map((o) => o.offset)),
    filter((offsets) => offsets.length > 0),
    take(1),
  );

describe('processWithRetries and deadLetter', () => {
  it('retry a failing handler on the clock, then send it and the undeserializable record to the dead-letter topic', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, consumer, producer } = setup(scheduler);
      const calls: string[] = [];
      const handled: string[] = [];
      const outcomes$ = consumer.messages$.pipe(
        processWithRetries(
          (record) => {
            const id = record.value!.id;
            calls.push(`${id}@${scheduler.now()}`);
            if (id === 'c' || (id === 'd' && calls.filter((c) => c.startsWith('d')).length === 1))
              throw new Error(`cannot ship ${id}`);
            handled.push(id);
          },
          { attempts: 3, backoffMs: 100, clock: scheduler },
        ),
        deadLetter(producer, 'orders.dlt'),
        take(4),
        map((item) =>
          item instanceof ProcessingFailure
            ? `failed ${item.record.offset} after ${item.attempts}`
            : item.error !== undefined
              ? `undeserializable ${item.offset}`
              : `done ${item.offset}`,
        ),
        toArray(),
      );
      const commits: bigint[][] = [];
      consumer.commits$.subscribe((c) => commits.push(c.offsets.map((o) => o.offset)));
      expectObservable(outcomes$).toBe('400ms (a|)', {
        a: ['done 0', 'undeserializable 1', 'failed 2 after 3', 'done 3'],
      });
      flush();
      // c: at once, after 100 ms, then 200 ms more; d waits behind c (one partition, in offset order).
      expect(calls).toEqual(['a@0', 'c@0', 'c@100', 'c@300', 'd@300', 'd@400']);
      expect(handled).toEqual(['a', 'd']);
      const dlt = cluster.records('orders.dlt', 0);
      expect(dlt.map((r) => [r.key?.toString(), r.value?.toString()])).toEqual([
        ['b', '{"id":'],
        ['c', '{"id":"c"}'],
      ]);
      expect(text(dlt[0].headers)).toEqual({
        trace: 't-b',
        [deadLetterHeaders.reason]: 'deserialization',
        [deadLetterHeaders.error]: `DeserializationError: the record's value could not be deserialized: ${errorOf(() => JSON.parse('{"id":'))}`,
        [deadLetterHeaders.part]: 'value',
        [deadLetterHeaders.attempts]: '0',
        [deadLetterHeaders.topic]: 'orders',
        [deadLetterHeaders.partition]: '0',
        [deadLetterHeaders.offset]: '1',
      });
      expect(text(dlt[1].headers)).toEqual({
        [deadLetterHeaders.reason]: 'processing',
        [deadLetterHeaders.error]: 'Error: cannot ship c',
        [deadLetterHeaders.attempts]: '3',
        [deadLetterHeaders.topic]: 'orders',
        [deadLetterHeaders.partition]: '0',
        [deadLetterHeaders.offset]: '2',
      });
      // Closing commits everything: the dead letters were acknowledged once written.
      expect(commits).toEqual([[4n]]);
    });
  });

  it('holds back commits while a dead letter is not written, and errors when it cannot be', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      const { consumer } = setup(scheduler);
      const failing = {
        send: () => eagerError(new KafkaRxError('DeliveryTimeoutError', 'not written')),
      } as unknown as Producer;
      const processed$ = consumer.messages$.pipe(
        processWithRetries(() => undefined, { clock: scheduler }),
        deadLetter(failing, 'orders.dlt'),
        map((item) => (item instanceof ProcessingFailure ? 'failure' : item.offset)),
      );
      expectObservable(processed$).toBe(
        '(a#)',
        { a: 0n },
        new KafkaRxError('DeliveryTimeoutError', 'not written'),
      );
      // The undeserializable record (offset 1) was never acknowledged: the closing commit stops before it.
      expectObservable(firstCommit(consumer.commits$)).toBe('(c|)', { c: [1n] });
    });
  });

  it('deadLetter alone takes undeserializable records off a stream and lets the others through', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable, flush }) => {
      const { cluster, consumer, producer } = setup(scheduler);
      const values$ = consumer.messages$.pipe(
        deadLetter(producer, 'orders.dlt'),
        take(4),
        map((r) => (r.error === undefined ? r.value!.id : `dead ${r.offset}`)),
        toArray(),
      );
      expectObservable(values$).toBe('5ms (a|)', { a: ['a', 'c', 'd', 'dead 1'] });
      flush();
      expect(cluster.records('orders.dlt', 0).map((r) => r.value?.toString())).toEqual(['{"id":']);
    });
  });
});

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('did not throw');
}
