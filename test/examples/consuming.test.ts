import { lastValueFrom, toArray } from 'rxjs';
import { main as consuming } from '../../examples/consuming';
import type { ConsumerRecord } from '../../src';
import { createFakeCluster, type FakeCluster } from '../../src/testing';

// examples/consuming.ts over TCP against the fake cluster, stopped as a signal would stop it.
describe('examples/consuming', () => {
  let cluster: FakeCluster;
  let brokers: string[];

  beforeEach(async () => {
    cluster = createFakeCluster({ topics: { orders: 3 } });
    brokers = (await cluster.listen()).brokers;
  });
  afterEach(() => cluster.close());

  /** The listeners `run` adds for SIGINT and SIGTERM, removed from the process (a test must not keep them). */
  function signalListenersAddedBy<T>(run: () => T): { result: T; sigint: () => void; sigterm: () => void } {
    const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
    const result = run();
    const added = (signal: 'SIGINT' | 'SIGTERM') => {
      const listeners = process.listeners(signal).filter((l) => !before[signal].includes(l));
      for (const l of listeners) process.removeListener(signal, l);
      expect(listeners).toHaveLength(1);
      return listeners[0] as () => void;
    };
    return { result, sigint: added('SIGINT'), sigterm: added('SIGTERM') };
  }

  it('handles every record, logs the assignment, and on SIGTERM commits what was handled and leaves', async () => {
    for (let p = 0; p < 3; p++) cluster.append('orders', p, [{ value: `o${p}-0` }, { value: `o${p}-1` }]);
    const handled: string[] = [];
    const logged: unknown[][] = [];
    let all: () => void = () => undefined;
    const sixHandled = new Promise<void>((resolve) => (all = resolve));
    const handle = async (record: ConsumerRecord) => {
      handled.push(record.value?.toString() ?? '');
      if (handled.length === 6) all();
    };

    const { result: consumer, sigterm } = signalListenersAddedBy(() =>
      consuming({ brokers, handle, log: (...items) => logged.push(items) }),
    );
    const commits = lastValueFrom(consumer.commits$.pipe(toArray()));
    await sixHandled;
    await new Promise((resolve) => setImmediate(resolve)); // the last handler's promise settles
    sigterm();

    // commits$ completes once close is over.
    expect((await commits).map((c) => c.trigger)).toContain('close');
    expect(handled.sort()).toEqual(['o0-0', 'o0-1', 'o1-0', 'o1-1', 'o2-0', 'o2-1']);
    expect(logged.map(([first]) => first)).toEqual(expect.arrayContaining(['assigned', 'close']));
    expect(cluster.committedOffsets('orders').map((c) => [c.partition, c.offset])).toEqual([
      [0, 2n],
      [1, 2n],
      [2, 2n],
    ]);
    expect(cluster.groups.describe('orders')?.members ?? []).toEqual([]);
  });

  it('SIGINT stops it too', async () => {
    cluster.append('orders', 0, [{ value: 'o0-0' }]);
    let handledOne: () => void = () => undefined;
    const one = new Promise<void>((resolve) => (handledOne = resolve));

    const { result: consumer, sigint } = signalListenersAddedBy(() =>
      consuming({ brokers, handle: async () => handledOne(), log: () => undefined }),
    );
    const completed = lastValueFrom(consumer.commits$.pipe(toArray()));
    await one;
    await new Promise((resolve) => setImmediate(resolve));
    sigint();

    expect((await completed).map((c) => c.trigger)).toContain('close');
    expect(cluster.committedOffsets('orders').find((c) => c.partition === 0)?.offset).toBe(1n);
  });
});
