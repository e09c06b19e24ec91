import type { ConsumerEvent } from '../../src/consumer';
import { createFakeCluster } from '../../src/testing';
import { createMemoryTransport } from '../../src/transport';
import { fakeClusterConsumer } from '../support/fake-cluster-consumer';
import { virtualClock } from '../support/virtual-time';

/**
 * The group coordinator's broker killed, in virtual time on a three-broker fake cluster: as on Kafka,
 * FindCoordinator keeps naming the dead broker until the controller fences it (Kafka's
 * broker.session.timeout.ms, 9 s by default), and only then does another broker take the group over.
 * What the members must not wait for is their own reconnect backoff to the dead broker: the judge
 * on a real three-node cluster (test/broker/kafka/judges/broker-faults.test.ts) saw a member
 * heartbeat to the new coordinator 5.5 s after the other, waiting out a 10 s reconnect backoff.
 */

const FENCED_AFTER_MS = 9000;
const KILLED_AT = 20000;

function twoMembersThroughCoordinatorKill(options: { fencedAfterMs: number }) {
  const clock = virtualClock();
  const cluster = createFakeCluster({ brokers: 3, clock, topics: { t: 3 } });
  const members = [0, 1].map(() => {
    const consumer = fakeClusterConsumer(cluster, clock, {
      groupId: 'g',
      // Reconnect backoffs without jitter: the same timeline on every run.
      transport: createMemoryTransport({ handler: cluster.handler, clock, random: () => 0.5 }),
    });
    const events: Array<{ at: number; event: ConsumerEvent }> = [];
    consumer.events$.subscribe((event) => events.push({ at: clock.now(), event }));
    const rebalances: string[] = [];
    consumer.rebalances$.subscribe((r) => rebalances.push(`${clock.now()} ${r.type}`));
    consumer.messages$.subscribe();
    return { consumer, events, rebalances };
  });
  let coordinator = -1;
  clock.schedule(() => {
    // The broker the heartbeats go to (memory-transport hosts are named after node ids).
    const hosts = members.flatMap((m) =>
      m.events.flatMap(({ event: e }) =>
        e.type === 'request' && e.api === 'Heartbeat' ? [e.broker.host] : [],
      ),
    );
    expect(new Set(hosts).size).toBe(1);
    coordinator = Number(/(\d+)$/.exec(hosts[0])![1]);
    void cluster.brokerDown(coordinator, { fencedAfterMs: options.fencedAfterMs });
  }, KILLED_AT);
  clock.advanceTo(KILLED_AT + 60000);
  /** When each member's first heartbeat after the kill was answered without error. */
  const backAt = members.map(
    (m) =>
      m.events.find(({ at, event: e }) => at > KILLED_AT && e.type === 'heartbeat' && e.errorCode === 0)?.at,
  );
  const rebalances = members.flatMap((m) => m.rebalances);
  for (const m of members) m.consumer.close();
  void cluster.close();
  return { coordinator, backAt, rebalances };
}

describe('the group coordinator killed', () => {
  it('both members heartbeat to the new coordinator within a heartbeat interval (3 s) of the fencing, not after their reconnect backoff to the dead broker', () => {
    const { coordinator, backAt, rebalances } = twoMembersThroughCoordinatorKill({
      fencedAfterMs: FENCED_AFTER_MS,
    });
    expect(coordinator).toBeGreaterThanOrEqual(0);
    for (const at of backAt) {
      expect(at).toBeDefined();
      expect(at! - KILLED_AT).toBeGreaterThan(FENCED_AFTER_MS);
      expect(at! - KILLED_AT).toBeLessThanOrEqual(FENCED_AFTER_MS + 3000);
    }
    // The same generation carries on: nobody rejoined or lost a partition.
    expect(rebalances.filter((r) => r.endsWith(' assigned'))).toHaveLength(2);
    expect(rebalances.filter((r) => Number(r.split(' ')[0]) > KILLED_AT)).toEqual([]);
  });
});
