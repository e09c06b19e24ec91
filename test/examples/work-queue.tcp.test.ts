import { main as workQueue } from '../../examples/work-queue';
import { createAdmin } from '../../src';
import { createFakeCluster } from '../../src/testing';
import { failSomeJobs, JOB_OUTCOMES, JOBS, outcomesByJob } from '../support/work-queue-jobs';

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
      JOBS.forEach((value, i) => cluster.append('jobs', i % 2, [{ value }]));

      const outcomes = await workQueue({
        brokers,
        groupId: 'workers',
        count: JOBS.length,
        handle: failSomeJobs,
      });

      expect(outcomesByJob(outcomes)).toEqual(JOB_OUTCOMES);
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
