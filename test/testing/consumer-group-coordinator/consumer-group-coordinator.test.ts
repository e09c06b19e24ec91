import { TestScheduler } from 'rxjs/testing';
import { errorCodeEntry } from '../../../src/protocol/errors';
import { assignmentOf, type Assignment } from '../../../src/testing/consumer-group-coordinator/assignment';
import {
  ConsumerGroupCoordinator,
  type ConsumerGroupHeartbeatInput,
  type ConsumerGroupHeartbeatResult,
} from '../../../src/testing/consumer-group-coordinator/consumer-group-coordinator';
import { consumerGroupHeartbeatFields } from '../../support/consumer-group-heartbeat';

const SESSION_MS = 45000;
const INTERVAL_MS = 2500;

function text(a: Assignment | null): string | null {
  if (a === null) return null;
  return [...a]
    .flatMap(([t, ps]) => [...ps].map((p) => `${t}-${p}`))
    .sort()
    .join(',');
}

function owned(s: string): Assignment {
  if (s === '') return new Map();
  return assignmentOf(
    s.split(',').map((tp) => {
      const i = tp.lastIndexOf('-');
      return [tp.slice(0, i), [Number(tp.slice(i + 1))]] as const;
    }),
  );
}

function input(memberId: string, memberEpoch: number, extra: Partial<ConsumerGroupHeartbeatInput> = {}) {
  return {
    version: 1,
    ...consumerGroupHeartbeatFields(memberId, memberEpoch),
    owned: new Map(),
    clientId: 'c',
    clientHost: '/memory',
    ...extra,
  } satisfies ConsumerGroupHeartbeatInput;
}

/** `epoch assignment` or `!ERROR`, the answer as a test reads it. */
function answer(r: ConsumerGroupHeartbeatResult): string {
  if (r.errorCode !== 0) return `!${errorCodeEntry(r.errorCode)?.name ?? r.errorCode}`;
  return `${r.memberEpoch} ${text(r.assignment) ?? '-'}`;
}

function setup(topics: Record<string, number> = { t: 4 }) {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const counts = new Map(Object.entries(topics));
  const coordinator = new ConsumerGroupCoordinator(
    scheduler,
    { sessionTimeoutMs: SESSION_MS, heartbeatIntervalMs: INTERVAL_MS },
    () => counts,
  );
  const hb = (memberId: string, epoch: number, o: string, extra: Partial<ConsumerGroupHeartbeatInput> = {}) =>
    answer(coordinator.heartbeat(input(memberId, epoch, { owned: owned(o), ...extra })));
  return { scheduler, coordinator, counts, hb };
}

describe('ConsumerGroupCoordinator (KIP-848, broker side)', () => {
  it('gives the first member epoch 1, every partition and the configured heartbeat interval', () => {
    const { coordinator } = setup();
    const r = coordinator.heartbeat(input('a', 0));
    expect(r).toMatchObject({
      errorCode: 0,
      memberId: 'a',
      memberEpoch: 1,
      heartbeatIntervalMs: INTERVAL_MS,
    });
    expect(text(r.assignment)).toBe('t-0,t-1,t-2,t-3');
    expect(coordinator.describe('g')).toMatchObject({ state: 'Stable', groupEpoch: 1, assignmentEpoch: 1 });
  });

  it('moves a partition to a new member only after its owner stopped reporting it', () => {
    const { coordinator, hb } = setup();
    expect(hb('a', 0, '')).toBe('1 t-0,t-1,t-2,t-3');
    // b joins: epoch 2, but what it is due is still a's.
    expect(hb('b', 0, '')).toBe('2 ');
    expect(coordinator.describe('g')?.members.map((m) => m.state)).toEqual([
      'STABLE',
      'UNRELEASED_PARTITIONS',
    ]);
    // a is told to give up t-2 and t-3, and keeps epoch 1 while it still owns them.
    expect(hb('a', 1, 't-0,t-1,t-2,t-3')).toBe('1 t-0,t-1');
    expect(hb('b', 2, '')).toBe('2 ');
    expect(hb('a', 1, 't-0,t-1,t-2,t-3')).toBe('1 t-0,t-1');
    // a revoked: it moves to epoch 2; then b gets the partitions.
    expect(hb('a', 1, 't-0,t-1')).toBe('2 t-0,t-1');
    expect(hb('b', 2, '')).toBe('2 t-2,t-3');
    expect(coordinator.describe('g')?.state).toBe('Stable');
  });

  it('fences a member whose epoch is ahead or behind, unless the answer to its previous epoch was lost', () => {
    const { hb } = setup();
    hb('a', 0, '');
    hb('b', 0, '');
    hb('a', 1, 't-0,t-1,t-2,t-3');
    expect(hb('a', 1, 't-0,t-1')).toBe('2 t-0,t-1');
    expect(hb('a', 3, 't-0,t-1')).toBe('!FENCED_MEMBER_EPOCH');
    // Epoch 1 again, owning only what epoch 2 assigns: the answer was lost, not the member.
    expect(hb('a', 1, 't-0,t-1')).toBe('2 t-0,t-1');
    expect(hb('a', 1, 't-0,t-1,t-2')).toBe('!FENCED_MEMBER_EPOCH');
    expect(hb('zz', 5, '')).toBe('!UNKNOWN_MEMBER_ID');
  });

  it('removes a member whose session times out on the clock and gives its partitions to the others', () => {
    const { scheduler, coordinator, hb } = setup();
    const seen: string[] = [];
    scheduler.run(() => {
      hb('a', 0, '');
      hb('b', 0, '');
      hb('a', 1, 't-0,t-1');
      // One step per heartbeat: a revoked at the last one, it moves to epoch 2 at this one.
      hb('a', 1, 't-0,t-1');
      hb('b', 2, '');
      // b heartbeats every 5 s; a is silent from frame 0.
      for (let t = 5000; t <= 50000; t += 5000) scheduler.schedule(() => void hb('b', 2, 't-2,t-3'), t);
      scheduler.schedule(() => seen.push(`${coordinator.describe('g')?.members.length}`), SESSION_MS - 1);
      scheduler.schedule(() => seen.push(`${coordinator.describe('g')?.members.length}`), SESSION_MS);
      scheduler.schedule(() => seen.push(hb('b', 2, 't-2,t-3')), SESSION_MS + 1);
      scheduler.schedule(() => seen.push(`${coordinator.describe('g')?.groupEpoch}`), SESSION_MS + 2);
      // b stops too: the group empties.
      scheduler.schedule(() => seen.push(coordinator.describe('g')?.state ?? ''), 50000 + SESSION_MS + 1);
    });
    expect(seen).toEqual(['2', '1', '3 t-0,t-1,t-2,t-3', '3', 'Empty']);
  });

  it('reassigns at once when a member leaves with epoch -1', () => {
    const { coordinator, hb } = setup({ t: 2 });
    hb('a', 0, '');
    hb('b', 0, '');
    hb('a', 1, 't-0');
    hb('a', 1, 't-0');
    hb('b', 2, '');
    expect(hb('b', -1, '')).toBe('-1 -');
    expect(coordinator.describe('g')).toMatchObject({ groupEpoch: 3 });
    expect(hb('a', 2, 't-0')).toBe('3 t-0,t-1');
    expect(hb('b', 2, 't-1')).toBe('!UNKNOWN_MEMBER_ID');
  });

  it('keeps a static member that left with -2 until its session ends, and gives its partitions to its next incarnation', () => {
    const { scheduler, coordinator, hb } = setup({ t: 2 });
    const seen: string[] = [];
    scheduler.run(() => {
      hb('a', 0, '', { instanceId: 'i1' });
      expect(hb('a2', 0, '', { instanceId: 'i1' })).toBe('!UNRELEASED_INSTANCE_ID');
      expect(hb('a', -2, '', { instanceId: 'i1' })).toBe('-2 -');
      scheduler.schedule(() => {
        seen.push(hb('a2', 0, '', { instanceId: 'i1' }));
        seen.push(
          `${coordinator.describe('g')?.groupEpoch} ${coordinator.describe('g')?.members.map((m) => m.memberId)}`,
        );
      }, 10000);
    });
    expect(seen).toEqual(['1 t-0,t-1', '1 a2']);
  });

  it('fences a member that does not revoke within its rebalance timeout', () => {
    const { scheduler, coordinator, hb } = setup({ t: 2 });
    const seen: string[] = [];
    scheduler.run(() => {
      hb('a', 0, '', { rebalanceTimeoutMs: 10000 });
      hb('b', 0, '');
      hb('a', 1, 't-0,t-1', { rebalanceTimeoutMs: 10000 });
      scheduler.schedule(() => seen.push(hb('b', 2, '')), 9999);
      scheduler.schedule(() => seen.push(hb('b', 2, '')), 10000);
      scheduler.schedule(
        () => seen.push(`${coordinator.describe('g')?.members.map((m) => m.memberId)}`),
        10001,
      );
    });
    expect(seen).toEqual(['2 ', '3 t-0,t-1', 'b']);
  });

  it('subscribes by regular expression and bumps the epoch when a matching topic appears', () => {
    const { counts, coordinator, hb } = setup({ 'orders-eu': 1, payments: 1 });
    const regex = { subscribedTopicNames: null, subscribedTopicRegex: 'orders-.*' };
    expect(hb('a', 0, '', regex)).toBe('1 orders-eu-0');
    counts.set('orders-us', 1);
    expect(hb('a', 1, 'orders-eu-0', { subscribedTopicNames: null })).toBe('2 orders-eu-0,orders-us-0');
    expect(coordinator.describe('g')?.members[0].subscribedTopicNames).toEqual(['orders-eu', 'orders-us']);
    expect(hb('b', 0, '', { subscribedTopicNames: null, subscribedTopicRegex: '(' })).toBe(
      '!INVALID_REGULAR_EXPRESSION',
    );
  });

  it('reads an empty regex next to names as no regex, sent at every heartbeat (as librdkafka does)', () => {
    const { coordinator, hb } = setup();
    const names = { subscribedTopicNames: ['t'], subscribedTopicRegex: '' };
    expect(hb('a', 0, '', names)).toBe('1 t-0,t-1,t-2,t-3');
    // The same subscription again: no new group epoch (the answer repeats the owned assignment).
    expect(hb('a', 1, 't-0,t-1,t-2,t-3', names)).toBe('1 t-0,t-1,t-2,t-3');
    expect(hb('a', 1, 't-0,t-1,t-2,t-3', names)).toBe('1 t-0,t-1,t-2,t-3');
    expect(coordinator.describe('g')).toMatchObject({ groupEpoch: 1 });
    expect(coordinator.describe('g')?.members[0].subscribedTopicRegex).toBeNull();
  });

  it('answers errors Kafka gives for a bad request', () => {
    const { hb } = setup();
    expect(hb('', 0, '')).toBe('!INVALID_REQUEST');
    expect(hb('a', 0, '', { serverAssignor: 'sticky' })).toBe('!UNSUPPORTED_ASSIGNOR');
    expect(hb('a', 0, '', { groupId: '' })).toBe('!INVALID_REQUEST');
    expect(hb('a', 0, 't-0')).toBe('!INVALID_REQUEST');
  });

  it("checks an OffsetCommit's member epoch", () => {
    const { coordinator, hb } = setup({ t: 2 });
    hb('a', 0, '');
    hb('b', 0, '');
    const codes = [
      coordinator.validateOffsetCommit('g', 'a', 1, 9),
      coordinator.validateOffsetCommit('g', 'b', 2, 9),
      coordinator.validateOffsetCommit('g', 'b', 1, 9),
      coordinator.validateOffsetCommit('g', 'b', 3, 9),
      coordinator.validateOffsetCommit('g', 'x', 1, 9),
      coordinator.validateOffsetCommit('g', 'b', 2, 8),
      coordinator.validateOffsetCommit('g', '', -1, 9),
    ].map((c) => errorCodeEntry(c)?.name);
    expect(codes).toEqual([
      'NONE',
      'NONE',
      'STALE_MEMBER_EPOCH',
      'FENCED_MEMBER_EPOCH',
      'UNKNOWN_MEMBER_ID',
      'UNSUPPORTED_VERSION',
      'UNKNOWN_MEMBER_ID',
    ]);
  });
});
