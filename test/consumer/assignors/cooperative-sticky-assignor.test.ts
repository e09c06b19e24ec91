import { cooperativeStickyAssignor, resolveAssignors } from '../../../src/consumer/assignors';
import { stickyAssignment } from '../../../src/consumer/assignors/sticky-assignment';
import { flat, member } from './members';

const sixPartitions = new Map([['t', 6]]);
const owned = (...ps: number[]) => [{ topic: 't', partitions: ps }];

describe('cooperativeStickyAssignor', () => {
  it('balances a first assignment', () => {
    const result = flat(
      cooperativeStickyAssignor.assign([member('a', ['t']), member('b', ['t'])], sixPartitions),
    );
    expect(result.a).toHaveLength(3);
    expect(result.b).toHaveLength(3);
    expect(new Set([...result.a, ...result.b]).size).toBe(6);
  });

  it('keeps what members own and holds back partitions that change owner', () => {
    // a owned everything; b joins: three partitions must move, but not in this round.
    const members = [member('a', ['t'], owned(0, 1, 2, 3, 4, 5)), member('b', ['t'])];
    const first = flat(cooperativeStickyAssignor.assign(members, sixPartitions));
    expect(first.b).toEqual([]);
    expect(first.a).toHaveLength(3);
    // a revokes the rest and rejoins; now b gets them, and a keeps its three untouched.
    const second = flat(
      cooperativeStickyAssignor.assign(
        [member('a', ['t'], owned(...first.a.map((k) => Number(k.split(':')[1])))), member('b', ['t'])],
        sixPartitions,
      ),
    );
    expect(second.a).toEqual(first.a);
    expect(second.b).toHaveLength(3);
  });

  it('moves only what a departed member held', () => {
    const members = [member('a', ['t'], owned(0, 1)), member('b', ['t'], owned(2, 3))];
    const result = flat(cooperativeStickyAssignor.assign(members, sixPartitions));
    expect(result.a.slice(0, 2)).toEqual(['t:0', 't:1']);
    expect(result.b.slice(0, 2)).toEqual(['t:2', 't:3']);
    expect(result.a.length + result.b.length).toBe(6);
  });

  it('trusts the newer generation when two members claim a partition', () => {
    const members = [
      member('a', ['t'], owned(0), { generationId: 3 }),
      member('b', ['t'], owned(0), { generationId: 2 }),
    ];
    const { previousOwner } = stickyAssignment(members, new Map([['t', 2]]));
    expect(previousOwner.get('t:0')).toBe('a');
  });

  it('honours differing subscriptions', () => {
    const counts = new Map([
      ['x', 2],
      ['y', 4],
    ]);
    const result = flat(
      cooperativeStickyAssignor.assign([member('a', ['x', 'y']), member('b', ['y'])], counts),
    );
    expect(result.b.every((k) => k.startsWith('y:'))).toBe(true);
    expect(result.a.length).toBe(3);
    expect(result.b.length).toBe(3);
  });
});

describe('resolveAssignors', () => {
  it('resolves names and refuses unknown or mixed assignors', () => {
    expect(resolveAssignors(['range', 'roundrobin']).map((a) => a.name)).toEqual(['range', 'roundrobin']);
    expect(() => resolveAssignors(['sticky-ish'])).toThrow(/unknown assignor "sticky-ish"/);
    expect(() => resolveAssignors(['range', 'cooperative-sticky'])).toThrow(/mix eager and cooperative/);
    expect(() => resolveAssignors([])).toThrow(/at least one/);
  });
});
