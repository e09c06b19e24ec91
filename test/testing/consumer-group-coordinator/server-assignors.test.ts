import {
  assignmentOf,
  partitionsOf,
  type Assignment,
} from '../../../src/testing/consumer-group-coordinator/assignment';
import { rangeAssignor } from '../../../src/testing/consumer-group-coordinator/range-assignor';
import type { AssignorMember } from '../../../src/testing/consumer-group-coordinator/server-assignor';
import { uniformAssignor } from '../../../src/testing/consumer-group-coordinator/uniform-assignor';

function text(a: Assignment | undefined): string {
  return partitionsOf(a ?? new Map())
    .map(([t, p]) => `${t}-${p}`)
    .join(',');
}

function member(memberId: string, topics: string[], current: Array<[string, number[]]> = []): AssignorMember {
  return { memberId, topics: new Set(topics), current: assignmentOf(current) };
}

describe('server-side assignors', () => {
  it('range: consecutive partitions per topic, the first members one more', () => {
    const target = rangeAssignor(
      [member('b', ['t', 'u']), member('a', ['t', 'u'])],
      new Map([
        ['t', 3],
        ['u', 2],
      ]),
    );
    expect([text(target.get('a')), text(target.get('b'))]).toEqual(['t-0,t-1,u-0', 't-2,u-1']);
  });

  it('uniform: a new member takes partitions from the most loaded, the rest stay where they are', () => {
    const target = uniformAssignor(
      [member('a', ['t'], [['t', [0, 1]]]), member('b', ['t'], [['t', [2, 3]]]), member('c', ['t'])],
      new Map([['t', 4]]),
    );
    const sizes = ['a', 'b', 'c'].map((id) => target.get(id)?.get('t')?.size ?? 0).sort();
    expect(sizes).toEqual([1, 1, 2]);
    // Only one partition moved, to c.
    expect(text(target.get('c')).split(',')).toHaveLength(1);
    expect(`${text(target.get('a'))},${text(target.get('b'))}`.split(',')).toHaveLength(3);
  });

  it('uniform: gives a partition only to members subscribed to its topic', () => {
    const target = uniformAssignor(
      [member('a', ['t']), member('b', ['u'])],
      new Map([
        ['t', 2],
        ['u', 1],
      ]),
    );
    expect([text(target.get('a')), text(target.get('b'))]).toEqual(['t-0,t-1', 'u-0']);
  });
});
