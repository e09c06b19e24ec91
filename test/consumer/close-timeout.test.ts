import { NEVER } from 'rxjs';
import { resolveConsumerConfig, type ConsumerConfig } from '../../src/consumer/config';
import type { CommitResult } from '../../src/consumer/types';
import { scriptedConsumer } from '../support/scripted-consumer';

const setup = (overrides: Partial<ConsumerConfig> = {}) =>
  scriptedConsumer({ sessionTimeoutMs: 10000, heartbeatIntervalMs: 3000, ...overrides });

/** Lets promise callbacks that virtual time made ready run. */
const settle = () => new Promise<void>((resolve) => process.nextTick(resolve));

describe('consumer close() is bounded by closeTimeoutMs', () => {
  it('a coordinator that never answers OffsetCommit: close resolves after closeTimeoutMs and says so on events$', async () => {
    const t = setup({ closeTimeoutMs: 2000 });
    t.cluster.produce('orders', 0, 'a0');
    let completed = false;
    t.consumer.messages$.subscribe({ complete: () => (completed = true) });
    t.clock.advanceTo(100);
    t.cluster.on('OffsetCommit', () => NEVER);
    t.cluster.on('LeaveGroup', () => NEVER);
    let closed = false;
    void t.consumer.close().then(() => (closed = true));
    t.clock.advanceTo(2099);
    await settle();
    expect(closed).toBe(false);
    t.clock.advanceTo(2100);
    await settle();
    await settle();
    expect(closed).toBe(true);
    expect(completed).toBe(true);
    expect(t.events.filter((e) => e.type === 'close-timeout')).toEqual([
      {
        type: 'close-timeout',
        timeoutMs: 2000,
        reason: 'commit and LeaveGroup did not finish within closeTimeoutMs (2000 ms); closed without them',
      },
    ]);
    // Nothing is left scheduled: no heartbeat, fetch or retry timer outlives close.
    expect(t.clock.actions).toEqual([]);
    expect(t.commits).toEqual([]);
  });

  it('a manual commit still waiting when close gives up is answered with a ConsumerClosedError', async () => {
    const t = setup({ closeTimeoutMs: 1000 });
    t.cluster.produce('orders', 0, 'a0');
    t.consumer.messages$.subscribe();
    t.clock.advanceTo(100);
    t.cluster.on('OffsetCommit', () => NEVER);
    t.cluster.on('LeaveGroup', () => NEVER);
    const answers: CommitResult[] = [];
    t.consumer.commit().subscribe((r) => answers.push(r));
    void t.consumer.close();
    t.clock.advanceTo(1100);
    await settle();
    await settle();
    expect(answers.map((a) => [a.trigger, a.error?.name, a.error?.message])).toEqual([
      ['manual', 'ConsumerClosedError', 'the consumer closed before this commit completed'],
    ]);
  });

  it('a close that finishes in time says nothing about a timeout', async () => {
    const t = setup({ closeTimeoutMs: 2000 });
    t.consumer.messages$.subscribe();
    t.clock.advanceTo(100);
    const closing = t.consumer.close();
    t.clock.advanceTo(300);
    await closing;
    expect(t.events.some((e) => e.type === 'close-timeout')).toBe(false);
    expect(t.cluster.requests('LeaveGroup')).toHaveLength(1);
  });

  it('defaults to 10 s', () => {
    expect(resolveConsumerConfig({ brokers: ['b:9092'], groupId: 'g', topics: ['t'] }).closeTimeoutMs).toBe(
      10000,
    );
  });
});
