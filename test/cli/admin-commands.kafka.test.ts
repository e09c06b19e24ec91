import { lastValueFrom } from 'rxjs';
import { createProducer } from '../../src/producer';
import { runKafkaToolOk } from '../broker/kafka/kafka-tool';
import { sharedKafka } from '../broker/kafka/shared-kafka';
import { uniqueName } from '../broker/kafka/topics';
import { cliInProcess as cli } from './in-process';

describe('kafka-rx topics, groups and offsets against Apache Kafka', () => {
  const { bootstrap } = sharedKafka();

  it('creates, lists, describes and deletes a topic', async () => {
    const topic = uniqueName('cli-topic');
    const created = await cli([
      'topics',
      'create',
      '--brokers',
      bootstrap,
      '--topic',
      topic,
      '--partitions',
      '2',
      '--config',
      'cleanup.policy=compact',
    ]);
    expect(created).toEqual({ code: 0, stdout: `created ${topic}\n`, stderr: '' });
    expect((await cli(['topics', 'list', '--brokers', bootstrap])).stdout.split('\n')).toContain(topic);

    const described = await cli(['topics', 'describe', '--brokers', bootstrap, '--topic', topic]);
    const rows = described.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split(/\s+/));
    expect(rows[0]).toEqual(['TOPIC', 'PARTITION', 'LEADER', 'REPLICAS', 'ISR']);
    expect(rows.slice(1).map((r) => r.slice(0, 2))).toEqual([
      [topic, '0'],
      [topic, '1'],
    ]);

    const again = await cli(['topics', 'create', '--brokers', bootstrap, '--topic', topic]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${topic}: TOPIC_ALREADY_EXISTS`);

    expect(await cli(['topics', 'delete', '--brokers', bootstrap, '--topic', topic])).toMatchObject({
      code: 0,
      stdout: `deleted ${topic}\n`,
    });
    const missing = await cli(['topics', 'describe', '--brokers', bootstrap, '--topic', topic]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it("prints offsets as GetOffsetShell does, and a group's lag as ConsumerGroupCommand does", async () => {
    const topic = uniqueName('cli-offsets');
    const group = uniqueName('cli-group');
    expect(
      (await cli(['topics', 'create', '--brokers', bootstrap, '--topic', topic, '--partitions', '2'])).code,
    ).toBe(0);
    const producer = createProducer({ brokers: [bootstrap] });
    await lastValueFrom(
      producer.send([0, 0, 0, 1].map((partition, i) => ({ topic, partition, value: `v${i}` }))),
    );
    await producer.close();

    const latest = await cli(['offsets', '--brokers', bootstrap, '--topic', topic]);
    const shell = await runKafkaToolOk(
      'org.apache.kafka.tools.GetOffsetShell',
      ['--bootstrap-server', bootstrap, '--topic', topic],
      { timeoutMs: 30000 },
    );
    expect(latest.stdout).toBe(`${topic}:0:3\n${topic}:1:1\n`);
    expect(shell.stdout.trim().split('\n').sort()).toEqual(latest.stdout.trim().split('\n'));
    expect(
      (await cli(['offsets', '--brokers', bootstrap, '--topic', topic, '--time', 'earliest'])).stdout,
    ).toBe(`${topic}:0:0\n${topic}:1:0\n`);

    await runKafkaToolOk(
      'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
      [
        '--bootstrap-server',
        bootstrap,
        '--reset-offsets',
        '--group',
        group,
        '--topic',
        `${topic}:0`,
        '--to-offset',
        '1',
        '--execute',
      ],
      { timeoutMs: 30000 },
    );
    const described = await cli(['groups', 'describe', '--brokers', bootstrap, '--group', group]);
    expect(described.code).toBe(0);
    expect(described.stdout).toContain(`Consumer group '${group}' has no active members.`);
    expect(described.stdout).toMatch(
      new RegExp(`^${group}\\s+${topic}\\s+0\\s+1\\s+3\\s+2\\s+-\\s+-\\s+-$`, 'm'),
    );
    const listed = await cli(['groups', 'list', '--brokers', bootstrap]);
    // A group made by an offset commit alone has no protocol type yet.
    expect(listed.stdout).toMatch(new RegExp(`^${group}\\s+classic\\s+Empty\\s+-$`, 'm'));
  });

  it('prints usage for a bad command line', async () => {
    const run = await cli(['topics', 'shrink', '--brokers', bootstrap]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'unknown action "shrink": give list, describe, create, delete or alter-config',
    );
    expect(run.stderr).toContain('kafka-rx topics list|describe|create|delete|alter-config');
  });
});
