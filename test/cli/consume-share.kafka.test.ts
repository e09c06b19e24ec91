import { lastValueFrom } from 'rxjs';
import { createProducer } from '../../src/producer';
import { sharedKafka } from '../broker/kafka/shared-kafka';
import { shareTopic } from '../broker/kafka/share-topic';
import { cliInProcess as cli } from './in-process';

describe('kafka-rx consume --share-group against Apache Kafka', () => {
  const { bootstrap } = sharedKafka();

  it('prints the records it acquires, and the next run finds them accepted', async () => {
    const { topic, group } = await shareTopic(bootstrap, 'cli-share', 2);
    const producer = createProducer({ brokers: [bootstrap] });
    await lastValueFrom(
      producer.send(['a', 'b', 'c', 'd'].map((value, i) => ({ topic, partition: i % 2, value }))),
    );

    const first = await cli(['consume', '-b', bootstrap, '-t', topic, '--share-group', group, '-c', '4']);
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n').filter(Boolean).sort()).toEqual(['a', 'b', 'c', 'd']);

    // Accepted records are not delivered again: the next run sees only the new one.
    await lastValueFrom(producer.send([{ topic, partition: 0, value: 'e' }]));
    await producer.close();
    const second = await cli([
      'consume',
      '-b',
      bootstrap,
      '-t',
      topic,
      '--share-group',
      group,
      '-c',
      '1',
      '--json',
    ]);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ topic, partition: 0, value: 'e' });
  }, 60000);

  it('refuses the flags that choose partitions or offsets', async () => {
    const run = await cli(['consume', '-b', bootstrap, '-t', 'any', '--share-group', 'g', '-o', 'beginning']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '--share-group: the share group chooses partitions and offsets; leave out -o',
    );
  });
});
