import { firstValueFrom, map } from 'rxjs';
import { createConsumer } from '../../src/consumer';
import { createFakeCluster } from '../../src/testing';

// What a transactional producer sends in TxnOffsetCommit comes from Consumer.groupMetadata():
// it must be the member id and generation the group coordinator gave this member.
describe('Consumer.groupMetadata() for sendOffsetsToTransaction', () => {
  it('is the generation and member id the coordinator knows, and -1 / "" outside the group', async () => {
    const fake = createFakeCluster({ topics: { in: 1 } });
    fake.append('in', 0, [{ value: 'x' }]);
    const { brokers } = await fake.listen();
    const consumer = createConsumer({
      brokers,
      groupId: 'gm',
      topics: ['in'],
      fromBeginning: true,
      groupInstanceId: 'static-a',
    });
    try {
      expect(consumer.groupMetadata()).toEqual({
        groupId: 'gm',
        generationId: -1,
        memberId: '',
        groupInstanceId: 'static-a',
      });

      // Read while the membership is live (a record in hand), as a transform pipeline does.
      const inside = await firstValueFrom(consumer.messages$.pipe(map(() => consumer.groupMetadata())));

      const group = fake.groups.describe('gm')!;
      expect(group.members).toHaveLength(1);
      expect(inside).toEqual({
        groupId: 'gm',
        generationId: group.generationId,
        memberId: group.members[0].memberId,
        groupInstanceId: 'static-a',
      });
      expect(inside.generationId).toBeGreaterThanOrEqual(1);
      expect(inside.memberId).not.toBe('');
    } finally {
      await consumer.close();
      await fake.close();
    }
  });
});
