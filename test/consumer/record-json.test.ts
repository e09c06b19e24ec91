import { map, take, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createConsumer } from '../../src/consumer';
import { createProducer } from '../../src/producer';
import { createMemoryTransport } from '../../src/transport';
import { createFakeCluster } from '../../src/testing';

// Records and metadata carry bigint offsets; JSON.stringify throws on a bigint unless the object
// says how to write itself. Users log records, so both say: the offset as a decimal string.
describe('JSON.stringify of records and record metadata', () => {
  it('a consumed record: offset as a decimal string, key, value and headers as UTF-8', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      const cluster = createFakeCluster({ topics: { t: 1 }, clock: scheduler });
      cluster.append('t', 0, [
        {
          key: 'k-1',
          value: '{"n":1}',
          headers: [
            ['trace', 't-1'],
            ['empty', null],
          ],
          timestamp: 1700000000123,
        },
        { key: null, value: null, timestamp: 1700000000456 },
      ]);
      const consumer = createConsumer({
        brokers: cluster.bootstrap,
        groupId: 'g',
        topics: ['t'],
        fromBeginning: true,
        clock: scheduler,
        transport: createMemoryTransport({ handler: cluster.handler, clock: scheduler }),
      });
      const lines$ = consumer.messages$.pipe(
        take(2),
        map((record) => JSON.stringify(record)),
        toArray(),
      );
      expectObservable(lines$.pipe(map((lines) => lines.join('\n')))).toBe('(a|)', {
        a: [
          '{"topic":"t","partition":0,"offset":"0","timestamp":1700000000123,"key":"k-1","value":"{\\"n\\":1}","headers":[["trace","t-1"],["empty",null]]}',
          '{"topic":"t","partition":0,"offset":"1","timestamp":1700000000456,"key":null,"value":null,"headers":[]}',
        ].join('\n'),
      });
    });
  });

  it('record metadata from the producer: offset as a decimal string', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      const cluster = createFakeCluster({ topics: { t: 1 }, clock: scheduler });
      const producer = createProducer({
        brokers: cluster.bootstrap,
        clock: scheduler,
        transport: createMemoryTransport({ handler: cluster.handler, clock: scheduler }),
        lingerMs: 10,
      });
      const sent$ = producer.send([{ topic: 't', partition: 0, value: 'v', timestamp: 5 }]);
      expectObservable(sent$.pipe(map((metas) => JSON.stringify(metas)))).toBe('10ms (a|)', {
        a: '[{"topic":"t","partition":0,"offset":"0","timestamp":5}]',
      });
    });
  });
});
