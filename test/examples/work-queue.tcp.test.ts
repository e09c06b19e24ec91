import { main as workQueue } from '../../examples/work-queue';
import { createAdmin } from '../../src';
import { createFakeCluster } from '../../src/testing';

// examples/work-queue.ts against the fake cluster over TCP (its share groups), as against Kafka in work-queue.kafka.test.ts.
describe('examples/work-queue on the fake cluster over TCP', () => {
  it('finishes every job: retried ones after their failures, a hopeless one dead-lettered after 3 deliveries', async () => {
    const cluster = createFakeCluster({ topics: { jobs: 2, 'jobs.dead-letter': 1 } });
    try {
      const { brokers } = await cluster.listen();
      const admin = createAdmin({ brokers });
      const [altered] = await admin.incrementalAlterConfigs([
        { type: 'group', name: 'workers', changes: [{ name: 'share.auto.offset.reset', value: 'earliest' }] },
      ]);
      await admin.close();
      expect(altered?.error).toBeUndefined();
      const jobs = ['ok-1', 'ok-2', 'flaky-1', 'ok-3', 'hopeless', 'ok-4'];
      jobs.forEach((value, i) => cluster.append('jobs', i % 2, [{ value }]));

      const outcomes = await workQueue({
        brokers,
        groupId: 'workers',
        count: jobs.length,
        handle: async (job) => {
          const name = job.value?.toString();
          if (name === 'hopeless' || (name === 'flaky-1' && job.deliveryCount === 1))
            throw new Error('failed');
        },
      });

      const byJob = Object.fromEntries(outcomes.map((o) => [o.job, `${o.outcome}#${o.deliveries}`]));
      expect(byJob).toEqual({
        'ok-1': 'done#1',
        'ok-2': 'done#1',
        'flaky-1': 'done#2',
        'ok-3': 'done#1',
        hopeless: 'dead-lettered#3',
        'ok-4': 'done#1',
      });
      expect(cluster.records('jobs.dead-letter', 0).map((r) => r.value?.toString())).toEqual(['hopeless']);
      // Every job settled: both share partitions are past all their records.
      expect(cluster.groups.describeSharePartition('workers', 'jobs', 0)).toEqual({
        startOffset: 3n,
        records: [],
      });
      expect(cluster.groups.describeSharePartition('workers', 'jobs', 1)).toEqual({
        startOffset: 3n,
        records: [],
      });
    } finally {
      await cluster.close();
    }
  }, 60000);
});
