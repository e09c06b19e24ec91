import { firstValueFrom, throwError } from 'rxjs';
import type { CommitResult } from '../../src/consumer/types';
import { connectionError, requestTimeoutError } from '../../src/transport/errors';
import { groupTimings, scriptedConsumer } from '../support/scripted-consumer';

const coordinator = { host: 'broker-1', port: 9092, nodeId: 1 };

const setup = () => scriptedConsumer({ ...groupTimings, autoCommit: false });

// A broker that is killed takes its connections with it. As Kafka's Java client marks the coordinator
// unknown on a disconnect, kafka-rx looks for the group's new coordinator at once instead of
// heartbeating into the dead one until the session times out (seen against a real three-node cluster).
describe('the connection to the group coordinator lost', () => {
  it.each([
    ['dropped', () => connectionError(coordinator, 'closed')],
    ['timed out', () => requestTimeoutError(coordinator, 'Heartbeat', 30000)],
  ])(
    'a heartbeat whose connection %s marks the coordinator dead at once, and the member stays',
    (_, error) => {
      const t = setup();
      t.consumer.messages$.subscribe();
      t.clock.advanceTo(100);
      t.cluster.once('Heartbeat', () => throwError(error));
      t.clock.advanceTo(5000);
      const failedAt = t.cluster.requests('Heartbeat')[0].at;
      expect(t.cluster.coordinatorDeaths).toEqual([failedAt + 1]);
      expect(t.events.filter((e) => e.type === 'coordinator-dead')).toHaveLength(1);
      t.clock.advanceTo(20000);
      // The next heartbeats reach the (new) coordinator: no rejoin, no session timeout.
      expect(t.cluster.coordinatorDeaths).toHaveLength(1);
      expect(t.cluster.requests('JoinGroup')).toHaveLength(2);
    },
  );

  it('an offset commit whose connection dropped forgets the coordinator, then succeeds on retry', async () => {
    const t = setup();
    t.consumer.messages$.subscribe();
    t.clock.advanceTo(100);
    t.cluster.once('OffsetCommit', () => throwError(() => connectionError(coordinator, 'closed')));
    const result = firstValueFrom(t.consumer.commit([{ topic: 'orders', partition: 0, offset: 0n }]));
    t.clock.advanceTo(1000);
    const commit: CommitResult = await result;
    expect(commit.error).toBeUndefined();
    expect(t.cluster.requests('OffsetCommit')).toHaveLength(2);
    expect(t.cluster.coordinatorDeaths).toEqual([t.cluster.requests('OffsetCommit')[0].at + 1]);
  });

  it('an OffsetFetch whose connection dropped forgets the coordinator, then positions resolve on retry', () => {
    const t = setup();
    t.cluster.once('OffsetFetch', () => throwError(() => connectionError(coordinator, 'closed')));
    t.consumer.messages$.subscribe();
    t.clock.advanceTo(2000);
    const fetches = t.cluster.requests('OffsetFetch');
    expect(fetches).toHaveLength(2);
    expect(t.cluster.coordinatorDeaths).toEqual([fetches[0].at + 1]);
    expect(t.cluster.requests('Fetch').length).toBeGreaterThan(0);
  });
});
