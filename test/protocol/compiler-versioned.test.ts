/* eslint-disable @typescript-eslint/no-require-imports */
import { decodeVersioned, encodeVersioned } from '../../src/protocol/codec';
import { DecodeError } from '../../src/protocol/errors';
import { ConsumerProtocolAssignment, ConsumerProtocolSubscription } from '../../src/protocol/specs';
import { hex } from '../support/hex';

// KafkaJS's consumer writes the v0 subscription and assignment: an outside reference.
const { MemberMetadata, MemberAssignment } = require('kafkajs/src/consumer/assignerProtocol');

test('a v0 subscription: int16 version, topics, user data (as KafkaJS writes it)', () => {
  const userData = Buffer.from('ud');
  const theirs: Buffer = MemberMetadata.encode({ version: 0, topics: ['a', 'bc'], userData });
  expect(encodeVersioned(ConsumerProtocolSubscription, 0, { topics: ['a', 'bc'], userData })).toEqual(theirs);
  expect(decodeVersioned(ConsumerProtocolSubscription, theirs)).toEqual({
    version: 0,
    body: { topics: ['a', 'bc'], userData },
  });
});

test('a v0 assignment (as KafkaJS writes it)', () => {
  const theirs: Buffer = MemberAssignment.encode({ version: 0, assignment: { t: [0, 2] } });
  const body = { assignedPartitions: [{ topic: 't', partitions: [0, 2] }], userData: Buffer.alloc(0) };
  expect(encodeVersioned(ConsumerProtocolAssignment, 0, body)).toEqual(theirs);
  expect(decodeVersioned(ConsumerProtocolAssignment, theirs)).toEqual({ version: 0, body });
});

test('a version newer than we know decodes the known fields and ignores the rest', () => {
  const v3 = encodeVersioned(ConsumerProtocolSubscription, 3, {
    topics: ['a'],
    userData: null,
    ownedPartitions: [{ topic: 'a', partitions: [1] }],
    generationId: 4,
    rackId: 'r1',
  });
  // Pretend a v9 member appended a field we do not know.
  const v9 = Buffer.concat([hex('0009'), v3.subarray(2), hex('deadbeef')]);
  expect(decodeVersioned(ConsumerProtocolSubscription, v9)).toEqual({
    version: 9,
    body: {
      topics: ['a'],
      userData: null,
      ownedPartitions: [{ topic: 'a', partitions: [1] }],
      generationId: 4,
      rackId: 'r1',
    },
  });
});

test('a negative version, or bytes cut short, is a DecodeError', () => {
  expect(() => decodeVersioned(ConsumerProtocolSubscription, hex('ffff 00000000'))).toThrow(DecodeError);
  expect(() => decodeVersioned(ConsumerProtocolSubscription, hex('00'))).toThrow(DecodeError);
  expect(() => decodeVersioned(ConsumerProtocolSubscription, hex('0000 00000002 0001'))).toThrow(DecodeError);
});
