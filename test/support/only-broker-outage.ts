import type { FakeCluster } from '../../src/testing';
import type { virtualClock } from './virtual-time';

/**
 * An outage of the only broker of a fake cluster with topic 't' (two partitions), in virtual time:
 * `before` appended to partition 0 and read within 5 s, the broker down for `downMs`, then back with
 * `after` appended to partition 1, and 10 s more. Returns the virtual time it ends at.
 */
export function onlyBrokerOutage(
  cluster: FakeCluster,
  clock: ReturnType<typeof virtualClock>,
  downMs: number,
  read: readonly string[],
): number {
  cluster.append('t', 0, [{ value: 'before' }]);
  clock.advanceTo(5000);
  expect(read).toEqual(['before']);
  void cluster.brokerDown(0);
  clock.advanceTo(5000 + downMs);
  void cluster.brokerUp(0);
  cluster.append('t', 1, [{ value: 'after' }]);
  const end = 5000 + downMs + 10000;
  clock.advanceTo(end);
  return end;
}
