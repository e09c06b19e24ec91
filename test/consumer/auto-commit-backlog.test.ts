import { map, timer } from 'rxjs';
import type { Message } from '../../src/protocol/spec';
import { scriptedConsumer } from '../support/scripted-consumer';

// Seen against a real cluster whose group coordinator was killed: auto-commit ticks queued up
// behind the commit that waited for the new coordinator, then went out as a burst of OffsetCommits.
describe('auto-commit while a commit waits for the coordinator', () => {
  it('skips the ticks that come while an auto-commit is under way: no burst of commits afterwards', () => {
    const { clock, cluster, consumer, commits } = scriptedConsumer(
      { sessionTimeoutMs: 30000, heartbeatIntervalMs: 3000, autoCommit: { intervalMs: 1000 } },
      1,
    );
    cluster.produce('orders', 0, 'a0', 'a1');
    consumer.messages$.subscribe();
    clock.advanceTo(500);
    // The first auto-commit takes 10 s to be answered (as while a new coordinator takes over).
    const answer = (b: Message): Message => ({
      topics: (b.topics as Message[]).map((t) => ({
        name: t.name,
        partitions: (t.partitions as Message[]).map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: 0,
        })),
      })),
    });
    cluster.once('OffsetCommit', (b) => timer(10000, clock).pipe(map(() => answer(b))));
    clock.advanceTo(14000);

    const sent = cluster.requests('OffsetCommit').map((r) => r.at);
    const slow = sent[0];
    expect(slow).toBeLessThan(2000);
    // After the slow one: one commit a tick, as before it, not the ten ticks that came meanwhile.
    const after = sent.filter((at) => at > slow && at <= slow + 12000);
    expect(after.length).toBeLessThanOrEqual(3);
    for (let i = 1; i < after.length; i++) expect(after[i] - after[i - 1]).toBeGreaterThanOrEqual(900);
    expect(commits.filter((c) => c.trigger === 'auto').every((c) => c.error === undefined)).toBe(true);
  });
});
