import { main as deadLetters, type Order } from '../../examples/dead-letters';
import { deadLetterHeaders } from '../../src';
import { createFakeCluster, type FakeCluster } from '../../src/testing';

// examples/dead-letters.ts over TCP against the fake cluster.
describe('examples: dead letters', () => {
  let cluster: FakeCluster;
  let brokers: string[];

  beforeEach(async () => {
    cluster = createFakeCluster({ topics: { orders: 2, 'orders.dead-letter': 1 } });
    brokers = (await cluster.listen()).brokers;
  });
  afterEach(() => cluster.close());

  it('ships good orders (a flaky one on its second attempt), dead-letters the rest, and commits them all', async () => {
    cluster.append('orders', 0, [
      { key: 'o-1', value: '{"id":"o-1","total":250}' },
      { key: 'o-2', value: '{"id":"o-2",' },
      { key: 'o-3', value: '{"id":"o-3","total":-5}', headers: [['trace', 't-3']] },
    ]);
    cluster.append('orders', 1, [
      { key: 'o-4', value: '{"id":"o-4"}' },
      { key: 'o-5', value: '{"id":"o-5","total":12}' },
    ]);
    const attempts = new Map<string, number>();
    const shipped: string[] = [];

    const outcomes = await deadLetters({
      brokers,
      count: 5,
      ship: async (order: Order) => {
        const n = (attempts.get(order.id) ?? 0) + 1;
        attempts.set(order.id, n);
        if (order.total < 0 || (order.id === 'o-5' && n === 1)) throw new Error(`cannot ship ${order.id}`);
        shipped.push(order.id);
      },
    });

    expect(outcomes).toEqual(
      expect.arrayContaining([
        { outcome: 'shipped', id: 'o-1' },
        { outcome: 'dead-lettered', offset: '1', why: 'unreadable value' },
        { outcome: 'dead-lettered', offset: '2', why: 'failed 3 times' },
        { outcome: 'dead-lettered', offset: '0', why: 'unreadable value' },
        { outcome: 'shipped', id: 'o-5' },
      ]),
    );
    expect(outcomes).toHaveLength(5);
    expect(shipped.sort()).toEqual(['o-1', 'o-5']);
    expect(Object.fromEntries(attempts)).toEqual({ 'o-1': 1, 'o-3': 3, 'o-5': 2 });

    const dlt = cluster.records('orders.dead-letter', 0).map((r) => ({
      key: r.key?.toString(),
      value: r.value?.toString(),
      headers: Object.fromEntries(r.headers.map(([name, value]) => [name, value?.toString()])),
    }));
    expect(dlt.map((r) => r.key).sort()).toEqual(['o-2', 'o-3', 'o-4']);
    const o3 = dlt.find((r) => r.key === 'o-3')!;
    expect(o3).toEqual({
      key: 'o-3',
      value: '{"id":"o-3","total":-5}',
      headers: {
        trace: 't-3',
        [deadLetterHeaders.reason]: 'processing',
        [deadLetterHeaders.error]: 'Error: cannot ship o-3',
        [deadLetterHeaders.attempts]: '3',
        [deadLetterHeaders.topic]: 'orders',
        [deadLetterHeaders.partition]: '0',
        [deadLetterHeaders.offset]: '2',
      },
    });
    // The guard refuses o-4 (no total): a deserialization failure like o-2's bad JSON.
    expect(dlt.find((r) => r.key === 'o-4')!.headers).toMatchObject({
      [deadLetterHeaders.reason]: 'deserialization',
      [deadLetterHeaders.part]: 'value',
      [deadLetterHeaders.error]:
        "DeserializationError: the record's value could not be deserialized: the JSON value is not of the expected shape",
      [deadLetterHeaders.partition]: '1',
      [deadLetterHeaders.offset]: '0',
    });
    // Closing committed everything: shipped records and dead letters alike.
    expect(cluster.committedOffsets('shipping').map((c) => [c.partition, c.offset])).toEqual([
      [0, 3n],
      [1, 2n],
    ]);
  });
});
