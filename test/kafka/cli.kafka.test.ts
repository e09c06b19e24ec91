import { consoleConsume, consoleProduce } from '../broker/kafka/console-tools';
import { logEndOffsets } from '../broker/kafka/log-end-offsets';
import { sharedKafka } from '../broker/kafka/shared-kafka';
import { createTopics, uniqueName } from '../broker/kafka/topics';
import { runCli } from '../cli/cli-process';

// The `kafka-rx` command against Apache Kafka, judged by Kafka's console clients.
describe('kafka-rx consume and produce against Apache Kafka', () => {
  it('consume --json prints every record ConsoleProducer wrote', async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('cli-consume');
    await createTopics(bootstrap, [{ name: topic, partitions: 3 }]);
    const records = Array.from({ length: 30 }, (_, i) => ({ key: `key-${i}`, value: `value-${i}` }));
    await consoleProduce({ bootstrap, topic, records, codec: 'zstd' });

    const run = await runCli(
      ['consume', '--brokers', bootstrap, '--topic', topic, '--from-beginning', '--count', '30', '--json'],
      {
        killAfterMs: 25000,
      },
    );

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const printed = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { key: string; value: string; topic: string });
    expect(printed.map((r) => [r.topic, r.key, r.value]).sort()).toEqual(
      records.map((r) => [topic, r.key, r.value]).sort(),
    );
  }, 60000);

  it('produce writes one record per line that ConsoleConsumer reads back', async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('cli-produce');
    await createTopics(bootstrap, [{ name: topic }]);
    const lines = Array.from({ length: 20 }, (_, i) => `k${i}:v${i}`);

    const run = await runCli(
      ['produce', '--brokers', bootstrap, '--topic', topic, '--key-separator', ':', '--compression', 'gzip'],
      { killAfterMs: 25000, stdin: lines.join('\n') + '\n' },
    );

    expect(run.code).toBe(0);
    const read = await consoleConsume({ bootstrap, topic, maxMessages: lines.length });
    expect(read.map((r) => `${r.key}:${r.value}`)).toEqual(lines);
    // Nothing beyond what was read: one record per line.
    expect(await logEndOffsets(bootstrap, topic)).toEqual([lines.length]);
  }, 60000);
});
