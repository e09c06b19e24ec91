import { map, tap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createFakeCluster } from '../../../src/testing';
import { produceAt, rebalancesAsText, runConsumerGroup, taggedAsText } from '../../../src/testing/marbles';

function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe("kafka-rx consumers with groupProtocol: 'consumer' on the fake cluster, in virtual time", () => {
  it('splits the partitions when a second member joins, and takes a dead member’s back after its session', () => {
    const scheduler = newScheduler();
    let group = '';
    scheduler.run(({ expectObservable }) => {
      const cluster = createFakeCluster({ topics: { t: 4 }, clock: scheduler });
      const run = runConsumerGroup(cluster, {
        members: 2,
        startAt: [0, 10000],
        config: { groupId: 'g', topics: ['t'], fromBeginning: true, groupProtocol: 'consumer' },
      });
      const records = {
        a: { value: 'a', partition: 0 },
        b: { value: 'b', partition: 2 },
        c: { value: 'c', partition: 0 },
      };
      produceAt(cluster, '1s a 23999ms b 24999ms c', records, { topic: 't' }).subscribe();
      // Member 0 freezes at 40 s: its session (45 s) ends 45 s after its last heartbeat, at 35 s.
      scheduler.schedule(() => run.members[0].stall(), 40000);
      scheduler.schedule(() => {
        const d = cluster.groups.describeConsumerGroup('g');
        group = `${d?.state} epoch ${d?.groupEpoch} members ${d?.members.length}`;
      }, 99000);
      expectObservable(run.rebalances$.pipe(taggedAsText(rebalancesAsText())), '^ 100s !').toBe(
        'a 14999ms r 4999ms b 59999ms c',
        {
          a: '0: assigned t-0,t-1,t-2,t-3',
          r: '0: revoked t-2,t-3',
          b: '1: assigned t-2,t-3',
          c: '1: assigned t-0,t-1',
        },
      );
      // Every record once: c, produced while member 0 is frozen, goes to member 1 after the
      // reassignment (500 ms later: the fetch then in flight waits out fetch.maxWaitMs first).
      expectObservable(
        run.messages$.pipe(
          tap((m) => m.value.ack()),
          map(
            (m) =>
              `${m.member}: ${m.value.topic}-${m.value.partition}@${m.value.offset} ${m.value.value?.toString()}`,
          ),
        ),
        '^ 100s !',
      ).toBe('1s a 23999ms b 55499ms c', {
        a: '0: t-0@0 a',
        b: '1: t-2@0 b',
        c: '1: t-0@1 c',
      });
    });
    expect(group).toBe('Stable epoch 3 members 1');
  });

  it('follows a topicPattern: a matching topic created later is assigned at a heartbeat', () => {
    const scheduler = newScheduler();
    scheduler.run(({ expectObservable }) => {
      const cluster = createFakeCluster({ topics: { 'orders-eu': 1, payments: 1 }, clock: scheduler });
      const run = runConsumerGroup(cluster, {
        members: 1,
        config: { groupId: 'g', topicPattern: /orders-.*/, fromBeginning: true, groupProtocol: 'consumer' },
      });
      scheduler.schedule(() => cluster.createTopic('orders-us', 1), 7000);
      const members = run.messages$.subscribe();
      scheduler.schedule(() => members.unsubscribe(), 21000);
      // The coordinator sees the new topic at the member's heartbeat at 10 s (every 5 s).
      expectObservable(run.rebalances$.pipe(taggedAsText(rebalancesAsText())), '^ 20s !').toBe('a 9999ms b', {
        a: '0: assigned orders-eu-0',
        b: '0: assigned orders-us-0',
      });
    });
  });
});
