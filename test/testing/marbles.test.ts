import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createFakeCluster } from '../../src/testing';
import {
  commitsAsText,
  produceAt,
  rebalancesAsText,
  runConsumerGroup,
  taggedAsText,
} from '../../src/testing/marbles';

function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('produceAt', () => {
  it('appends each value at its frame, with the frame as timestamp, and says where it landed', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const cluster = createFakeCluster({ topics: { t: 2 }, clock: scheduler });
      const appended$ = produceAt(
        cluster,
        '-a 9ms (bc)|',
        { a: 'one', b: { key: 'k', value: 'two', partition: 1 }, c: 'three' },
        { topic: 't' },
      );
      expectObservable(appended$).toBe('-a 9ms (bc)|', {
        a: { topic: 't', partition: 0, offset: 0n },
        b: { topic: 't', partition: 1, offset: 0n },
        c: { topic: 't', partition: 0, offset: 1n },
      });
      scheduler.schedule(() => {
        expect(cluster.records('t', 0).map((r) => [r.value?.toString(), r.timestamp])).toEqual([
          ['one', 1],
          ['three', 11],
        ]);
        expect(cluster.records('t', 1).map((r) => [r.key?.toString(), r.value?.toString()])).toEqual([
          ['k', 'two'],
        ]);
      }, 20);
    });
  });
});

describe('runConsumerGroup (kafka-rx consumers on the fake cluster, in virtual time)', () => {
  it('auto-commits every 5 s what the consumer has taken', () => {
    const scheduler = newScheduler();
    let committed: unknown;
    scheduler.run(({ expectObservable }) => {
      const cluster = createFakeCluster({ topics: { t: 1 }, clock: scheduler });
      const group = runConsumerGroup(cluster, {
        members: 1,
        config: { groupId: 'g', topics: ['t'], fromBeginning: true, autoCommit: { intervalMs: 5000 } },
      });
      produceAt(cluster, '1s a 2999ms b 6999ms c', { a: 'a', b: 'b', c: 'c' }, { topic: 't' }).subscribe();
      expectObservable(group.messages$.pipe(map((m) => m.value.value?.toString())), '^ 16s !').toBe(
        '1s a 2999ms b 6999ms c',
        {
          a: 'a',
          b: 'b',
          c: 'c',
        },
      );
      expectObservable(
        group.commits$.pipe(
          map((c) => c.value),
          commitsAsText(),
        ),
        '^ 16s !',
      ).toBe('5s a 4999ms a 4999ms b', {
        a: 'auto t-0@2',
        b: 'auto t-0@3',
      });
      scheduler.schedule(
        () => (committed = cluster.committedOffsets('g').map((c) => [c.topic, c.partition, c.offset])),
        15500,
      );
    });
    expect(committed).toEqual([['t', 0, 3n]]);
  });

  it('evicts a stalled member of three at its session timeout; the others take its partition at their next heartbeat', () => {
    const scheduler = newScheduler();
    const snapshots: unknown[] = [];
    scheduler.run(({ expectObservable }) => {
      const cluster = createFakeCluster({ topics: { orders: 3 }, clock: scheduler });
      const group = runConsumerGroup(cluster, {
        members: 3,
        config: {
          groupId: 'g',
          topics: ['orders'],
          fromBeginning: true,
          sessionTimeoutMs: 10000,
          heartbeatIntervalMs: 3000,
          autoCommit: { intervalMs: 5000 },
        },
      });
      produceAt(
        cluster,
        '1s a 999ms b 999ms c',
        { a: { value: 'a', partition: 0 }, b: { value: 'b', partition: 1 }, c: { value: 'c', partition: 2 } },
        {
          topic: 'orders',
        },
      ).subscribe();
      // Member 2 freezes at 7 s; its last heartbeat reached the coordinator at 6 s.
      scheduler.schedule(() => group.members[2].stall(), 7000);
      const snapshot = () => {
        const g = cluster.groups.describe('g');
        snapshots.push({
          at: scheduler.now(),
          state: g?.state,
          generationId: g?.generationId,
          members: g?.members.length,
        });
      };
      scheduler.schedule(snapshot, 15999);
      scheduler.schedule(snapshot, 16001);
      scheduler.schedule(snapshot, 18001);

      expectObservable(
        group.messages$.pipe(map((m) => `${m.member}: ${m.value.value?.toString()}`)),
        '^ 20s !',
      ).toBe('1s a 999ms b 999ms c', { a: '0: a', b: '1: b', c: '2: c' });
      expectObservable(group.rebalances$.pipe(taggedAsText(rebalancesAsText())), '^ 20s !').toBe(
        '(abc) 17995ms (defg)',
        {
          a: '0: assigned orders-0',
          b: '1: assigned orders-1',
          c: '2: assigned orders-2',
          d: '0: revoked orders-0',
          e: '1: revoked orders-1',
          f: '0: assigned orders-0,orders-1',
          g: '1: assigned orders-2',
        },
      );
      expectObservable(group.commits$.pipe(taggedAsText(commitsAsText())), '^ 20s !').toBe(
        '5s (abc) 4995ms (de) 4996ms (de) 2996ms (fg)',
        {
          a: '0: auto orders-0@1',
          b: '1: auto orders-1@1',
          c: '2: auto orders-2@1',
          d: '0: auto orders-0@1',
          e: '1: auto orders-1@1',
          f: '0: revoke orders-0@1',
          g: '1: revoke orders-1@1',
        },
      );
    });
    expect(snapshots).toEqual([
      { at: 15999, state: 'Stable', generationId: 1, members: 3 },
      // Evicted 10 s after its last heartbeat: the rebalance starts and waits for the two others.
      { at: 16001, state: 'PreparingRebalance', generationId: 1, members: 2 },
      { at: 18001, state: 'Stable', generationId: 2, members: 2 },
    ]);
  });
});
