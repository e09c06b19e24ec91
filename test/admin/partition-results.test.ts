import { partitionResults } from '../../src/admin/partition-results';
import { ErrorCode } from '../../src/protocol/errors';

describe('partitionResults', () => {
  const topics = [
    {
      name: 'orders',
      partitions: [
        { partitionIndex: 1, errorCode: 0, offset: 7n },
        { partitionIndex: 0, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, offset: -1n },
      ],
    },
  ];
  const answered = (item: { topic: string; partition: number }, answer: { offset: bigint }) =>
    `${item.topic}-${item.partition}: ${answer.offset}`;
  const failed = (item: { topic: string; partition: number }, error: { name: string; message: string }) =>
    `${item.topic}-${item.partition}: ${error.name} (${error.message})`;

  it('gives one result per item, in the items order: answered, failed with the error, or left out', () => {
    const items = [
      { topic: 'orders', partition: 0 },
      { topic: 'orders', partition: 1 },
      { topic: 'payments', partition: 0 },
    ];
    expect(partitionResults(items, topics, answered, failed)).toEqual([
      expect.stringMatching(/^orders-0: NOT_LEADER_OR_FOLLOWER \(orders-0: /),
      'orders-1: 7',
      expect.stringMatching(/^payments-0: UNKNOWN_SERVER_ERROR \(payments-0: /),
    ]);
  });
});
