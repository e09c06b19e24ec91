import { TestScheduler } from 'rxjs/testing';
import { ErrorCode } from '../../../src/protocol/errors';
import {
  GroupCoordinator,
  type JoinGroupInput,
} from '../../../src/testing/group-coordinator/group-coordinator';
import type { JoinResult, SyncResult } from '../../../src/testing/group-coordinator/group';

// The coordinator alone, in virtual time: every timeout is an exact frame.
function setup(initialRebalanceDelayMs = 0) {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const coordinator = new GroupCoordinator(scheduler, {
    minSessionTimeoutMs: 6000,
    maxSessionTimeoutMs: 1800000,
    initialRebalanceDelayMs,
  });
  const log: string[] = [];
  const at = () => scheduler.now();

  const input = (overrides: Partial<JoinGroupInput>): JoinGroupInput => ({
    groupId: 'g',
    memberId: '',
    groupInstanceId: null,
    clientId: 'c',
    clientHost: '/test',
    sessionTimeoutMs: 10000,
    rebalanceTimeoutMs: 30000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from('sub') }],
    requireKnownMemberId: true,
    ...overrides,
  });

  /** Joins and records the answer with its frame; returns a holder of the last result. */
  const join = (name: string, overrides: Partial<JoinGroupInput>) => {
    const holder: { result?: JoinResult } = {};
    coordinator.join(input(overrides), (r) => {
      holder.result = r;
      log.push(`${at()} ${name} join ${r.errorCode} gen ${r.generationId}`);
    });
    return holder;
  };
  const sync = (
    name: string,
    memberId: string,
    generationId: number,
    assignments: Array<{ memberId: string; assignment: Buffer }> = [],
  ) => {
    const holder: { result?: SyncResult } = {};
    coordinator.sync(
      {
        groupId: 'g',
        generationId,
        memberId,
        groupInstanceId: null,
        protocolType: null,
        protocolName: null,
        assignments,
      },
      (r) => {
        holder.result = r;
        log.push(`${at()} ${name} sync ${r.errorCode} ${r.assignment.toString()}`);
      },
    );
    return holder;
  };
  const heartbeat = (memberId: string, generationId: number) =>
    coordinator.heartbeat({ groupId: 'g', generationId, memberId, groupInstanceId: null });

  /** MEMBER_ID_REQUIRED, then a join with the given id. */
  const joinNew = (name: string, overrides: Partial<JoinGroupInput> = {}) => {
    const first = join(name, overrides);
    expect(first.result?.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    const memberId = first.result?.memberId as string;
    return { memberId, holder: join(name, { ...overrides, memberId }) };
  };
  return { scheduler, coordinator, log, join, sync, heartbeat, joinNew };
}

describe('GroupCoordinator', () => {
  it('asks a v4+ member for a member id, then runs join and sync to Stable', () => {
    const { coordinator, join, sync, log } = setup();
    const first = join('a', {});
    expect(first.result).toMatchObject({ errorCode: ErrorCode.MEMBER_ID_REQUIRED, generationId: -1 });
    const memberId = first.result?.memberId as string;
    expect(memberId).toMatch(/^c-[0-9a-f-]{36}$/);
    const joined = join('a', { memberId });
    expect(joined.result).toMatchObject({
      errorCode: 0,
      generationId: 1,
      leader: memberId,
      protocolName: 'range',
      memberId,
    });
    expect(joined.result?.members).toEqual([
      { memberId, groupInstanceId: null, metadata: Buffer.from('sub') },
    ]);
    expect(coordinator.describe('g')?.state).toBe('CompletingRebalance');
    sync('a', memberId, 1, [{ memberId, assignment: Buffer.from('p0') }]);
    expect(coordinator.describe('g')?.state).toBe('Stable');
    expect(log).toEqual(['0 a join 79 gen -1', '0 a join 0 gen 1', '0 a sync 0 p0']);
  });

  it('rebalances when a second member joins: the first learns it from its heartbeat', () => {
    const { scheduler, join, sync, heartbeat, joinNew, log } = setup();
    scheduler.run(({ flush }) => {
      const a = joinNew('a');
      sync('a', a.memberId, 1, [{ memberId: a.memberId, assignment: Buffer.from('all') }]);
      scheduler.schedule(() => {
        const b = joinNew('b');
        scheduler.schedule(() => {
          expect(heartbeat(a.memberId, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
          join('a', { memberId: a.memberId });
          // Both get generation 2 as soon as every member has rejoined; only the leader gets the members.
          expect(b.holder.result?.generationId).toBe(2);
          expect(b.holder.result?.members).toEqual([]);
          sync('b', b.memberId, 2);
          sync('a', a.memberId, 2, [
            { memberId: a.memberId, assignment: Buffer.from('p0') },
            { memberId: b.memberId, assignment: Buffer.from('p1') },
          ]);
        }, 1000);
      }, 2000);
      flush();
    });
    expect(log).toEqual([
      '0 a join 79 gen -1',
      '0 a join 0 gen 1',
      '0 a sync 0 all',
      '2000 b join 79 gen -1',
      '3000 a join 0 gen 2',
      '3000 b join 0 gen 2',
      // The follower waited for the leader's assignment; members are answered in join order.
      '3000 a sync 0 p0',
      '3000 b sync 0 p1',
    ]);
  });

  it('evicts a member whose session times out, and drops one that does not rejoin within the rebalance timeout', () => {
    const { scheduler, coordinator, join, sync, heartbeat, joinNew, log } = setup();
    const events: string[] = [];
    coordinator.events$.subscribe((e) => {
      if (e.type === 'member-expired' || e.type === 'member-removed' || e.type === 'generation') {
        events.push(`${scheduler.now()} ${e.type}`);
      }
    });
    scheduler.run(({ flush }) => {
      const a = joinNew('a', { sessionTimeoutMs: 10000, rebalanceTimeoutMs: 20000 });
      const b = joinNew('b', { sessionTimeoutMs: 10000, rebalanceTimeoutMs: 20000 });
      // a joined alone (generation 1); b's join started generation 2, which waits for a to rejoin.
      join('a', { memberId: a.memberId, sessionTimeoutMs: 10000, rebalanceTimeoutMs: 20000 });
      sync('a', a.memberId, 2, []);
      sync('b', b.memberId, 2, []);
      // a keeps heartbeating every 3 s; b falls silent.
      for (let t = 3000; t <= 30000; t += 3000) {
        scheduler.schedule(() => {
          const generationId = coordinator.describe('g')?.generationId ?? -1;
          const code = heartbeat(a.memberId, generationId);
          if (code === ErrorCode.REBALANCE_IN_PROGRESS) {
            join('a', { memberId: a.memberId, sessionTimeoutMs: 10000, rebalanceTimeoutMs: 20000 });
            sync('a', a.memberId, generationId + 1, []);
          }
        }, t);
      }
      flush();
    });
    // Until a's heartbeats stop at 30 s (it then expires too, at 40 s).
    expect(events.filter((e) => Number(e.split(' ')[0]) <= 30000)).toEqual([
      '0 generation',
      '0 generation',
      '10000 member-expired',
      '10000 member-removed',
      '12000 generation',
    ]);
    expect(log).toContain('12000 a join 0 gen 3');
  });

  it('completes a rebalance at the rebalance timeout without the member that never rejoined', () => {
    const { scheduler, coordinator, sync, heartbeat, joinNew, log } = setup();
    const members: number[] = [];
    scheduler.run(({ flush }) => {
      const a = joinNew('a', { rebalanceTimeoutMs: 20000, sessionTimeoutMs: 60000 });
      sync('a', a.memberId, 1, []);
      scheduler.schedule(() => {
        const b = joinNew('b', { rebalanceTimeoutMs: 20000, sessionTimeoutMs: 60000 });
        scheduler.schedule(() => sync('b', b.memberId, 2, []), 20000);
      }, 1000);
      // a heartbeats, hears of the rebalance, and does not rejoin.
      scheduler.schedule(() => expect(heartbeat(a.memberId, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS), 2000);
      scheduler.schedule(() => members.push(coordinator.describe('g')?.members.length ?? -1), 30000);
      flush();
    });
    expect(log).toContain('21000 b join 0 gen 2');
    expect(members).toEqual([1]);
  });

  it('answers heartbeats with ILLEGAL_GENERATION and UNKNOWN_MEMBER_ID as Kafka does', () => {
    const { sync, heartbeat, joinNew } = setup();
    const a = joinNew('a');
    sync('a', a.memberId, 1, []);
    expect(heartbeat(a.memberId, 1)).toBe(ErrorCode.NONE);
    expect(heartbeat(a.memberId, 0)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(heartbeat('nobody', 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('lets a static member come back with a new member id without a rebalance, fencing the old id', () => {
    const { coordinator, join, sync, heartbeat } = setup();
    const first = join('a', { groupInstanceId: 'host-1' });
    // Static members get their id at once, without MEMBER_ID_REQUIRED.
    expect(first.result).toMatchObject({ errorCode: 0, generationId: 1 });
    const oldId = first.result?.memberId as string;
    sync('a', oldId, 1, [{ memberId: oldId, assignment: Buffer.from('p0') }]);
    const again = join('a', { groupInstanceId: 'host-1' });
    expect(again.result).toMatchObject({ errorCode: 0, generationId: 1, leader: oldId });
    const newId = again.result?.memberId as string;
    expect(newId).not.toBe(oldId);
    expect(coordinator.describe('g')?.state).toBe('Stable');
    expect(
      coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: oldId, groupInstanceId: 'host-1' }),
    ).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(
      coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: newId, groupInstanceId: 'host-1' }),
    ).toBe(ErrorCode.NONE);
    const s = sync('a', newId, 1);
    expect(s.result?.assignment.toString()).toBe('p0');
    void heartbeat;
  });

  it('waits the initial rebalance delay, extended while new members keep arriving', () => {
    const { scheduler, joinNew, log } = setup(3000);
    scheduler.run(({ flush }) => {
      joinNew('a');
      scheduler.schedule(() => joinNew('b'), 1000);
      flush();
    });
    expect(log.filter((l) => l.includes('gen 1'))).toEqual(['6000 a join 0 gen 1', '6000 b join 0 gen 1']);
  });

  it('refuses protocols the group does not share, and session timeouts out of range', () => {
    const { join, joinNew } = setup();
    joinNew('a');
    const other = join('b', { protocols: [{ name: 'roundrobin', metadata: Buffer.alloc(0) }] });
    expect(other.result?.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const short = join('c', { sessionTimeoutMs: 100 });
    expect(short.result?.errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
  });

  it('stores offsets by the group rules: generation -1 when Empty, the member and generation otherwise', () => {
    const { coordinator, joinNew, sync } = setup();
    const offsets = [{ topic: 't', partition: 0, offset: 5n, leaderEpoch: -1, metadata: null }];
    expect(
      coordinator.commitOffsets(
        { groupId: 'simple', generationId: -1, memberId: '', groupInstanceId: null },
        offsets,
      ),
    ).toBe(ErrorCode.NONE);
    expect(coordinator.committedOffsets('simple').get('t')?.get(0)?.offset).toBe(5n);
    expect(
      coordinator.commitOffsets(
        { groupId: 'nogroup', generationId: 3, memberId: 'x', groupInstanceId: null },
        offsets,
      ),
    ).toBe(ErrorCode.ILLEGAL_GENERATION);
    const a = joinNew('a');
    const id = { groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null };
    expect(coordinator.commitOffsets(id, offsets)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    sync('a', a.memberId, 1, []);
    expect(coordinator.commitOffsets({ ...id, generationId: 0 }, offsets)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(coordinator.commitOffsets({ ...id, memberId: 'x' }, offsets)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(coordinator.commitOffsets(id, offsets)).toBe(ErrorCode.NONE);
  });
});
