import { roundRobinAssignor } from '../../../src/consumer/assignors';
import { flat, member } from './members';

describe('roundRobinAssignor', () => {
  it('deals partitions of all topics in turn', () => {
    const counts = new Map([
      ['a', 3],
      ['b', 2],
    ]);
    expect(
      flat(roundRobinAssignor.assign([member('m2', ['a', 'b']), member('m1', ['a', 'b'])], counts)),
    ).toEqual({
      m1: ['a:0', 'a:2', 'b:1'],
      m2: ['a:1', 'b:0'],
    });
  });

  it('skips members that do not subscribe to a topic', () => {
    const counts = new Map([
      ['a', 2],
      ['b', 2],
    ]);
    expect(flat(roundRobinAssignor.assign([member('m1', ['a']), member('m2', ['a', 'b'])], counts))).toEqual({
      m1: ['a:0'],
      m2: ['a:1', 'b:0', 'b:1'],
    });
  });
});
