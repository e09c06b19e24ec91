import { createAdmin, type Admin } from '../../src/admin';
import { runKafkaToolOk } from '../broker/kafka/kafka-tool';
import { sharedKafka } from '../broker/kafka/shared-kafka';
import { uniqueName } from '../broker/kafka/topics';

/** Kafka prints topic ids as URL-safe base64 of the 16 bytes; kafka-rx as 8-4-4-4-12 hex. */
const base64Id = (hex: string): string => Buffer.from(hex.replace(/-/g, ''), 'hex').toString('base64url');

interface ToolPartition {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

/** TopicCommand --describe, parsed: the topic line's id and counts, one line per partition. */
async function topicCommandDescribe(bootstrap: string, topic: string) {
  const run = await runKafkaToolOk(
    'org.apache.kafka.tools.TopicCommand',
    ['--bootstrap-server', bootstrap, '--describe', '--topic', topic],
    { timeoutMs: 30000 },
  );
  const head = /TopicId: (\S+)\s+PartitionCount: (\d+)\s+ReplicationFactor: (\d+)\s+Configs: (.*)/.exec(
    run.stdout,
  );
  const ids = (text: string) => (text.trim() === '' ? [] : text.trim().split(',').map(Number));
  const partitions: ToolPartition[] = [
    ...run.stdout.matchAll(/Partition: (\d+)\s+Leader: (-?\d+)\s+Replicas: ([\d,]*)\s+Isr: ([\d,]*)/g),
  ].map((m) => ({ partition: Number(m[1]), leader: Number(m[2]), replicas: ids(m[3]), isr: ids(m[4]) }));
  return {
    topicId: head?.[1],
    partitions: Number(head?.[2]),
    replicationFactor: Number(head?.[3]),
    configs: head?.[4],
    partitionLines: partitions,
  };
}

describe('admin: topics and cluster against Apache Kafka', () => {
  let admin: Admin;
  beforeAll(() => {
    admin = createAdmin({ brokers: [sharedKafka().bootstrap] });
  });
  afterAll(() => admin.close());

  it('creates a topic that TopicCommand --describe shows as describeTopics does', async () => {
    const { bootstrap } = sharedKafka();
    const name = uniqueName('admin-create');
    const [created] = await admin.createTopics([
      {
        name,
        partitions: 3,
        replicationFactor: 1,
        configs: { 'cleanup.policy': 'compact', 'retention.ms': '3600000' },
      },
    ]);
    expect(created).toEqual({
      name,
      topicId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      partitions: 3,
      replicationFactor: 1,
    });

    const [described] = await admin.describeTopics([name]);
    expect(described.error).toBeUndefined();
    expect(described.topicId).toBe(created.topicId);
    expect(described.internal).toBe(false);

    const tool = await topicCommandDescribe(bootstrap, name);
    expect(tool.topicId).toBe(base64Id(created.topicId!));
    expect(tool.partitions).toBe(3);
    expect(tool.replicationFactor).toBe(1);
    expect(tool.configs).toContain('cleanup.policy=compact');
    expect(tool.configs).toContain('retention.ms=3600000');
    expect(
      described.partitions!.map(({ partition, leader, replicas, isr }) => ({
        partition,
        leader,
        replicas,
        isr,
      })),
    ).toEqual(tool.partitionLines);
    expect(await admin.listTopics()).toContain(name);
  });

  it('creates a topic from a replica assignment', async () => {
    const name = uniqueName('admin-assign');
    const [{ nodeId }] = (await admin.describeCluster()).brokers;
    const [created] = await admin.createTopics([{ name, replicaAssignment: [[nodeId], [nodeId]] }]);
    expect(created.error).toBeUndefined();
    expect(created.partitions).toBe(2);
    const [described] = await admin.describeTopics([name]);
    expect(described.partitions!.map((p) => p.replicas)).toEqual([[nodeId], [nodeId]]);
  });

  it('validateOnly checks a topic without creating it', async () => {
    const name = uniqueName('admin-validate');
    const [checked] = await admin.createTopics([{ name, partitions: 2 }], { validateOnly: true });
    expect(checked.error).toBeUndefined();
    expect(await admin.listTopics()).not.toContain(name);
    const [bad] = await admin.createTopics([{ name, partitions: 0 }], { validateOnly: true });
    expect(bad.error?.name).toBe('INVALID_PARTITIONS');
  });

  it('reports bad topics one by one and creates the good one', async () => {
    const existing = uniqueName('admin-existing');
    await admin.createTopics([{ name: existing, partitions: 1 }]);
    const good = uniqueName('admin-good');
    const results = await admin.createTopics([
      { name: existing, partitions: 1 },
      { name: uniqueName('admin-zero'), partitions: 0 },
      { name: uniqueName('admin-config'), partitions: 1, configs: { 'no.such.config': 'x' } },
      { name: uniqueName('admin-rf'), partitions: 1, replicationFactor: 3 },
      { name: good, partitions: 1 },
    ]);
    expect(results.map((r) => r.error?.name)).toEqual([
      'TOPIC_ALREADY_EXISTS',
      'INVALID_PARTITIONS',
      'INVALID_CONFIG',
      'INVALID_REPLICATION_FACTOR',
      undefined,
    ]);
    expect(results[1].error?.code).toBe(37);
    expect(results[0].error?.retriable).toBe(false);
    expect(await admin.listTopics()).toContain(good);
  });

  it('raises partition counts, refusing to shrink and unknown topics', async () => {
    const name = uniqueName('admin-grow');
    await admin.createTopics([{ name, partitions: 1 }]);
    const missing = uniqueName('admin-missing');
    const results = await admin.createPartitions([
      { name, count: 4 },
      { name: missing, count: 2 },
    ]);
    expect(results).toEqual([
      { name },
      { name: missing, error: expect.objectContaining({ name: 'UNKNOWN_TOPIC_OR_PARTITION' }) },
    ]);
    const [shrink] = await admin.createPartitions([{ name, count: 2 }]);
    expect(shrink.error?.name).toBe('INVALID_PARTITIONS');
    const [described] = await admin.describeTopics([name]);
    expect(described.partitions!.map((p) => p.partition)).toEqual([0, 1, 2, 3]);
  });

  it('deletes topics, reporting an unknown one', async () => {
    const name = uniqueName('admin-delete');
    await admin.createTopics([{ name, partitions: 1 }]);
    const missing = uniqueName('admin-missing');
    const results = await admin.deleteTopics([name, missing]);
    expect(results).toEqual([
      { name },
      { name: missing, error: expect.objectContaining({ name: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3 }) },
    ]);
    expect(await admin.listTopics()).not.toContain(name);
  });

  it('describes an unknown topic with a per-topic error', async () => {
    const missing = uniqueName('admin-missing');
    const [described] = await admin.describeTopics([missing]);
    expect(described).toEqual({
      name: missing,
      error: expect.objectContaining({ name: 'UNKNOWN_TOPIC_OR_PARTITION' }),
    });
  });

  it('describes the cluster as ClusterTool and the harness know it', async () => {
    const { bootstrap, brokers } = sharedKafka();
    const cluster = await admin.describeCluster();
    expect(cluster.brokers.map(({ host, port }) => ({ host, port }))).toEqual(
      brokers.map(({ host, port }) => ({ host, port })),
    );
    expect(cluster.brokers.map((b) => b.nodeId)).toContain(cluster.controller);
    const run = await runKafkaToolOk(
      'org.apache.kafka.tools.ClusterTool',
      ['cluster-id', '--bootstrap-server', bootstrap],
      {
        timeoutMs: 30000,
      },
    );
    expect(run.stdout).toContain(`Cluster ID: ${cluster.clusterId}`);
  });

  it('bounds a call by its deadline when no broker answers', async () => {
    const lost = createAdmin({ brokers: ['127.0.0.1:1'], retryBackoffMs: 50 });
    try {
      const started = performance.now();
      await expect(lost.listTopics({ timeoutMs: 400 })).rejects.toMatchObject({
        name: 'TimeoutError',
        retriable: true,
      });
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      await lost.close();
    }
  });

  it('rejects a configuration without brokers', () => {
    expect(() => createAdmin({ brokers: [] })).toThrow(expect.objectContaining({ name: 'ConfigError' }));
  });
});
