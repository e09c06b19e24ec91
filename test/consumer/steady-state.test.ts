import fc from 'fast-check';
import { scriptedConsumer } from '../support/scripted-consumer';

// Properties of a healthy member, in virtual time: with every heartbeat answered, over a long
// run, the coordinator is never marked dead, the member never rejoins, and heartbeats and
// auto-commits keep their cadence exactly.

interface Timing {
  readonly heartbeatIntervalMs: number;
  readonly sessionTimeoutMs: number;
  readonly autoCommitIntervalMs: number;
  readonly latencyMs: number;
}

const timing: fc.Arbitrary<Timing> = fc
  .record({
    heartbeatIntervalMs: fc.integer({ min: 100, max: 3000 }),
    // Kafka asks for a session of at least three heartbeats.
    sessionFactor: fc.integer({ min: 3, max: 10 }),
    autoCommitIntervalMs: fc.integer({ min: 100, max: 10000 }),
    latencyMs: fc.integer({ min: 1, max: 50 }),
  })
  .map(({ heartbeatIntervalMs, sessionFactor, autoCommitIntervalMs, latencyMs }) => ({
    heartbeatIntervalMs,
    sessionTimeoutMs: heartbeatIntervalMs * sessionFactor,
    autoCommitIntervalMs,
    latencyMs,
  }));

/** Differences between consecutive times. */
const gaps = (at: number[]) => at.slice(1).map((t, i) => t - at[i]);

function run(t: Timing, durationMs: number) {
  const { clock, cluster, consumer, events, rebalances } = scriptedConsumer({
    sessionTimeoutMs: t.sessionTimeoutMs,
    heartbeatIntervalMs: t.heartbeatIntervalMs,
    autoCommit: { intervalMs: t.autoCommitIntervalMs },
  });
  cluster.latencyMs = t.latencyMs;
  // Records keep arriving, so every auto-commit has offsets to send.
  let produced = 0;
  clock.schedule(function (this: { schedule(state: unknown, delay: number): void }) {
    cluster.produce('orders', produced++ % 2, `r${produced}`);
    this.schedule(undefined, 700);
  }, 0);
  consumer.messages$.subscribe();
  clock.advanceTo(durationMs);
  const stableAt = cluster.requests('SyncGroup')[0].at + t.latencyMs;
  return { cluster, events, rebalances, stableAt };
}

describe('a healthy member (virtual time)', () => {
  it('is never marked dead, never rejoins, and heartbeats and commits keep their cadence', () => {
    fc.assert(
      fc.property(timing, (t) => {
        const durationMs = Math.max(120000, 20 * t.sessionTimeoutMs);
        const { cluster, events, rebalances, stableAt } = run(t, durationMs);

        expect(cluster.coordinatorDeaths).toEqual([]);
        expect(events.filter((e) => e.type === 'coordinator-dead')).toEqual([]);
        // One join: the JoinGroup that gets the member id (KIP-394), the one that joins, one SyncGroup.
        expect(cluster.requests('JoinGroup')).toHaveLength(2);
        expect(cluster.requests('SyncGroup')).toHaveLength(1);
        expect(cluster.requests('LeaveGroup')).toEqual([]);
        expect(rebalances.map((r) => r.type)).toEqual(['assigned']);

        const heartbeats = cluster.requests('Heartbeat').map((r) => r.at);
        expect(heartbeats[0]).toBe(stableAt + t.heartbeatIntervalMs);
        expect(heartbeats).toHaveLength(Math.floor((durationMs - stableAt) / t.heartbeatIntervalMs));
        expect(new Set(gaps(heartbeats))).toEqual(new Set([t.heartbeatIntervalMs]));

        const commits = cluster.requests('OffsetCommit').map((r) => r.at);
        expect(commits[0]).toBe(stableAt + t.autoCommitIntervalMs);
        expect(commits).toHaveLength(Math.floor((durationMs - stableAt) / t.autoCommitIntervalMs));
        expect(new Set(gaps(commits))).toEqual(new Set([t.autoCommitIntervalMs]));
      }),
      { numRuns: 12 },
    );
  });
});
