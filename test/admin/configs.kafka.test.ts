import { createAdmin, type Admin } from '../../src/admin';
import { runKafkaToolOk } from '../broker/kafka/kafka-tool';
import { sharedKafka } from '../broker/kafka/shared-kafka';
import { uniqueName } from '../broker/kafka/topics';

/** ConfigCommand --describe of a topic: `name=value` of each dynamic config, sorted. */
async function topicConfigsByTool(bootstrap: string, topic: string): Promise<string[]> {
  const run = await runKafkaToolOk(
    'org.apache.kafka.tools.ConfigCommand',
    ['--bootstrap-server', bootstrap, '--describe', '--entity-type', 'topics', '--entity-name', topic],
    { timeoutMs: 30000 },
  );
  return [...run.stdout.matchAll(/^\s+(\S+=\S*) sensitive=/gm)].map((m) => m[1]).sort();
}

describe('admin: configs against Apache Kafka', () => {
  const { bootstrap } = sharedKafka();
  let admin: Admin;
  beforeAll(() => {
    admin = createAdmin({ brokers: [bootstrap] });
  });
  afterAll(() => admin.close());

  it('describes topic and broker configs with sources and synonyms', async () => {
    const topic = uniqueName('admin-configs');
    await admin.createTopics([{ name: topic, partitions: 1, configs: { 'retention.ms': '7200000' } }]);
    const { brokers } = await admin.describeCluster();
    const nodeId = String(brokers[0].nodeId);
    const [topicConfigs, brokerConfigs] = await admin.describeConfigs(
      [
        { type: 'topic', name: topic },
        { type: 'broker', name: nodeId, keys: ['log.retention.hours', 'auto.create.topics.enable'] },
      ],
      { synonyms: true, documentation: true },
    );
    expect(topicConfigs.error).toBeUndefined();
    const retention = topicConfigs.configs.find((c) => c.name === 'retention.ms');
    expect(retention).toMatchObject({
      value: '7200000',
      source: 'DYNAMIC_TOPIC_CONFIG',
      type: 'LONG',
      sensitive: false,
    });
    expect(retention!.synonyms[0]).toEqual({
      name: 'retention.ms',
      value: '7200000',
      source: 'DYNAMIC_TOPIC_CONFIG',
    });
    expect(retention!.documentation).toEqual(expect.stringContaining('retain'));
    const cleanup = topicConfigs.configs.find((c) => c.name === 'cleanup.policy');
    expect(cleanup).toMatchObject({ value: 'delete', source: 'DEFAULT_CONFIG' });

    expect(brokerConfigs.configs.map((c) => c.name)).toEqual([
      'auto.create.topics.enable',
      'log.retention.hours',
    ]);
    // The test broker sets auto.create.topics.enable=false in its server.properties.
    expect(brokerConfigs.configs[0]).toMatchObject({ value: 'false', source: 'STATIC_BROKER_CONFIG' });
  });

  it('changes single topic configs as ConfigCommand then shows them', async () => {
    const topic = uniqueName('admin-alter-configs');
    await admin.createTopics([{ name: topic, partitions: 1, configs: { 'retention.ms': '7200000' } }]);
    const [altered] = await admin.incrementalAlterConfigs([
      {
        type: 'topic',
        name: topic,
        changes: [
          { name: 'max.message.bytes', value: '200000' },
          { name: 'retention.ms', op: 'delete' },
          { name: 'cleanup.policy', op: 'append', value: 'compact' },
        ],
      },
    ]);
    expect(altered).toEqual({ type: 'topic', name: topic });
    expect(await topicConfigsByTool(bootstrap, topic)).toEqual([
      'cleanup.policy=delete,compact',
      'max.message.bytes=200000',
    ]);
    const [described] = await admin.describeConfigs([{ type: 'topic', name: topic, keys: ['retention.ms'] }]);
    expect(described.configs).toEqual([
      expect.objectContaining({ name: 'retention.ms', source: 'DEFAULT_CONFIG' }),
    ]);
  });

  it('reports bad resources one by one and leaves validateOnly changes unapplied', async () => {
    const topic = uniqueName('admin-bad-configs');
    const other = uniqueName('admin-bad-value');
    await admin.createTopics([
      { name: topic, partitions: 1 },
      { name: other, partitions: 1 },
    ]);
    const missing = uniqueName('admin-missing');
    const results = await admin.incrementalAlterConfigs([
      { type: 'topic', name: topic, changes: [{ name: 'no.such.config', value: '1' }] },
      { type: 'topic', name: missing, changes: [{ name: 'retention.ms', value: '1000' }] },
      { type: 'topic', name: other, changes: [{ name: 'retention.ms', value: 'soon' }] },
    ]);
    expect(results.map((r) => r.error?.name)).toEqual([
      'INVALID_CONFIG',
      'UNKNOWN_TOPIC_OR_PARTITION',
      'INVALID_CONFIG',
    ]);

    const [checked] = await admin.incrementalAlterConfigs(
      [{ type: 'topic', name: topic, changes: [{ name: 'retention.ms', value: '1000' }] }],
      { validateOnly: true },
    );
    expect(checked.error).toBeUndefined();
    const [described, unknown] = await admin.describeConfigs([
      { type: 'topic', name: topic, keys: ['retention.ms'] },
      { type: 'topic', name: missing },
    ]);
    expect(described.configs[0]).toMatchObject({ name: 'retention.ms', source: 'DEFAULT_CONFIG' });
    expect(unknown.error?.name).toBe('UNKNOWN_TOPIC_OR_PARTITION');
  });
});
