import { rangeAssignor } from '../../../src/consumer/assignors';
import { flat, member } from './members';

describe('rangeAssignor', () => {
  it('gives the first members one more partition when the split is uneven', () => {
    const counts = new Map([['t', 3]]);
    expect(flat(rangeAssignor.assign([member('c2', ['t']), member('c1', ['t'])], counts))).toEqual({
      c1: ['t:0', 't:1'],
      c2: ['t:2'],
    });
  });

  it('ranges each topic on its own, so the same members lead on every topic', () => {
    const counts = new Map([
      ['a', 3],
      ['b', 3],
    ]);
    const result = flat(rangeAssignor.assign([member('m1', ['a', 'b']), member('m2', ['a', 'b'])], counts));
    expect(result).toEqual({ m1: ['a:0', 'a:1', 'b:0', 'b:1'], m2: ['a:2', 'b:2'] });
  });

  it('orders static members by group instance id before dynamic ones', () => {
    const counts = new Map([['t', 2]]);
    const result = flat(
      rangeAssignor.assign(
        [member('a-dynamic', ['t']), member('z-static', ['t'], [], { groupInstanceId: 'i1' })],
        counts,
      ),
    );
    expect(result).toEqual({ 'z-static': ['t:0'], 'a-dynamic': ['t:1'] });
  });

  it('leaves members with no subscribed topic empty and ignores unknown topics', () => {
    const counts = new Map([['t', 2]]);
    expect(
      flat(rangeAssignor.assign([member('m1', ['t', 'missing']), member('m2', ['other'])], counts)),
    ).toEqual({
      m1: ['t:0', 't:1'],
      m2: [],
    });
  });
});
