import { MemberMetadata } from '../../../src/testing/group-coordinator/group';
import { candidateProtocols, selectProtocol } from '../../../src/testing/group-coordinator/protocol-vote';

function member(id: string, ...protocols: string[]): MemberMetadata {
  return new MemberMetadata(
    id,
    null,
    'c',
    '/h',
    10000,
    10000,
    'consumer',
    protocols.map((name) => ({ name, metadata: Buffer.alloc(0) })),
  );
}

describe('selectProtocol', () => {
  it('picks the protocol most members prefer, not the first member preference', () => {
    const members = [
      member('a', 'roundrobin', 'range'),
      member('b', 'range', 'roundrobin'),
      member('c', 'range', 'roundrobin'),
    ];
    expect(selectProtocol(members)).toBe('range');
  });

  it('only counts protocols every member supports', () => {
    const members = [member('a', 'sticky', 'range'), member('b', 'sticky', 'range'), member('c', 'range')];
    expect(candidateProtocols(members)).toEqual(['range']);
    expect(selectProtocol(members)).toBe('range');
  });

  it('breaks a tie by the first member order, and has no choice without a common protocol', () => {
    expect(selectProtocol([member('a', 'x', 'y'), member('b', 'y', 'x')])).toBe('x');
    expect(selectProtocol([member('a', 'x'), member('b', 'y')])).toBeNull();
  });
});
