import { main as producing } from '../../examples/producing';
import { main as transactions } from '../../examples/transactions';
import { createFakeCluster, type FakeCluster } from '../../src/testing';

// examples/producing.ts and examples/transactions.ts over TCP against the fake cluster.
describe('examples: producing', () => {
  let cluster: FakeCluster;
  let brokers: string[];

  beforeEach(async () => {
    cluster = createFakeCluster({ topics: { orders: 3, invoices: 3, ledger: 1 } });
    brokers = (await cluster.listen()).brokers;
  });
  afterEach(() => cluster.close());

  const values = (topic: string, partitions: number) =>
    Array.from({ length: partitions }, (_, p) => cluster.records(topic, p))
      .flat()
      .map((r) => r.value?.toString())
      .sort();

  it('producing writes every order and record, and reports where each went', async () => {
    const orders = [
      { id: 'o-1', total: 250 },
      { id: 'o-2', total: 20 },
      { id: 'o-3', total: 100 },
    ];
    const logged: unknown[] = [];

    const { first, written } = await producing({
      brokers,
      orders,
      records: [{ topic: 'orders', value: 'audit' }],
      log: (item) => logged.push(item),
    });

    expect(values('orders', 3)).toEqual([...orders.map((o) => JSON.stringify(o)), 'audit'].sort());
    const firstInLog = cluster.records('orders', first.partition).find((r) => r.offset === first.offset);
    expect(firstInLog?.value?.toString()).toBe(JSON.stringify(orders[0]));
    // The operator emitted the metadata in input order.
    expect(
      written.map((m) =>
        cluster
          .records('orders', m.partition)
          .find((r) => r.offset === m.offset)
          ?.key?.toString(),
      ),
    ).toEqual(['o-2', 'o-3']);
    // The subscriber of the eager send got its metadata (an array: one per record).
    expect(logged).toEqual([[expect.objectContaining({ topic: 'orders' })]]);
  });

  it('transactions commits both transactions: their records are stable, each followed by a commit marker', async () => {
    const written = await transactions({
      brokers,
      invoice: 'invoice-1',
      entry: 'ledger-1',
      records: [{ topic: 'invoices', value: 'invoice-2' }],
    });

    expect(values('invoices', 3)).toEqual(['invoice-1', 'invoice-2']);
    expect(values('ledger', 1)).toEqual(['ledger-1']);
    expect(written).toEqual([expect.objectContaining({ topic: 'invoices' })]);
    // Nothing is left open, and the control batches took offsets of their own.
    for (const [topic, partitions] of [
      ['invoices', 3],
      ['ledger', 1],
    ] as const) {
      for (let p = 0; p < partitions; p++) {
        const { highWatermark, lastStableOffset } = cluster.offsets(topic, p);
        expect(lastStableOffset).toBe(highWatermark);
      }
    }
    expect(cluster.offsets('ledger', 0).highWatermark).toBe(2n);
  });
});
