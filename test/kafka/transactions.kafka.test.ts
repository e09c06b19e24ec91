import { concat, ignoreElements, lastValueFrom } from 'rxjs';
import { createProducer, type Producer, type ProducerConfig } from '../../src/producer';
import { consoleConsume } from '../broker/kafka/console-tools';
import { sharedKafka } from '../broker/kafka/shared-kafka';
import { createTopics, uniqueName } from '../broker/kafka/topics';
import { describeGroup } from '../broker/kafka/judges/describe-group';
import { logEndOffsets } from '../broker/kafka/log-end-offsets';
import { roundRobinRecords } from '../support/round-robin-records';

/**
 * Transactions and idempotence against Apache Kafka, which writes the transaction markers that
 * librdkafka's mock does not: a read_committed ConsoleConsumer sees committed records only.
 */
describe('transactional and idempotent producer against Apache Kafka', () => {
  const producers: Producer[] = [];
  const open = (config: Partial<ProducerConfig> = {}) => {
    const producer = createProducer({ brokers: [sharedKafka().bootstrap], ...config });
    producers.push(producer);
    return producer;
  };
  // ConsoleConsumer stops at maxMessages when given; otherwise it idles out (6 s) to show nothing more is there.
  const readAs =
    (isolationLevel: 'read_committed' | 'read_uncommitted') => (topic: string, maxMessages?: number) =>
      consoleConsume({ bootstrap: sharedKafka().bootstrap, topic, isolationLevel, maxMessages });
  const readCommitted = readAs('read_committed');
  const readUncommitted = readAs('read_uncommitted');

  afterAll(async () => {
    await Promise.all(producers.map((p) => p.close()));
  });

  it('commits transactions over three partitions; an aborted one stays hidden from read_committed', async () => {
    const topic = uniqueName('tx');
    await createTopics(sharedKafka().bootstrap, [{ name: topic, partitions: 3 }]);
    const producer = open({ transactionalId: uniqueName('tx-id') });

    producer.beginTransaction();
    const records = roundRobinRecords(topic, 30, 3);
    await lastValueFrom(producer.send(records));
    await lastValueFrom(producer.commitTransaction());

    producer.beginTransaction();
    await lastValueFrom(producer.send({ topic, partition: 0, key: 'gone', value: 'aborted' }));
    await lastValueFrom(producer.abortTransaction());

    producer.beginTransaction();
    await lastValueFrom(producer.send({ topic, partition: 0, key: 'last', value: 'second' }));
    await lastValueFrom(producer.commitTransaction());

    // 'aborted' lies before 'second' on partition 0: read_committed would show it among the first 31.
    const committed = await readCommitted(topic, records.length + 1);
    for (const p of [0, 1, 2]) {
      const expected = records.filter((r) => r.partition === p).map((r) => r.value);
      if (p === 0) expected.push('second');
      expect(committed.filter((r) => r.partition === p).map((r) => r.value)).toEqual(expected);
    }
    // The aborted record is in the log (read_uncommitted sees it), between the two commits; idling out
    // once shows nothing more.
    const all = await readUncommitted(topic);
    expect(all.filter((r) => r.partition === 0).map((r) => r.value)).toEqual([
      ...records.filter((r) => r.partition === 0).map((r) => r.value),
      'aborted',
      'second',
    ]);
  }, 60000);

  it('commits consumed offsets in the transaction (AddOffsetsToTxn, TxnOffsetCommit)', async () => {
    const { bootstrap } = sharedKafka();
    const input = uniqueName('tx-in');
    const output = uniqueName('tx-out');
    const group = uniqueName('tx-group');
    await createTopics(bootstrap, [{ name: input }, { name: output }]);
    const producer = open({ transactionalId: uniqueName('tx-offsets') });
    producer.beginTransaction();
    await lastValueFrom(
      concat(
        producer.send({ topic: output, value: 'out' }).pipe(ignoreElements()),
        producer.sendOffsetsToTransaction([{ topic: input, partition: 0, offset: 4n }], {
          groupId: group,
          generationId: -1,
          memberId: '',
          groupInstanceId: null,
        }),
      ),
    );
    await lastValueFrom(producer.commitTransaction());

    expect((await readCommitted(output, 1)).map((r) => r.value)).toEqual(['out']);
    // Nothing else in the log: 'out' and its transaction's commit marker.
    expect(await logEndOffsets(bootstrap, output)).toEqual([2]);
    // Kafka's group tool sees the offset the transaction committed.
    const row = (await describeGroup(bootstrap, group, '--offsets')).find((r) => r.TOPIC === input);
    expect([row?.TOPIC, row?.PARTITION, row?.['CURRENT-OFFSET']]).toEqual([input, '0', '4']);
  }, 60000);

  it('writes idempotently: every record once, in order, sequence numbers accepted by the broker', async () => {
    const topic = uniqueName('idempotent');
    await createTopics(sharedKafka().bootstrap, [{ name: topic, partitions: 2 }]);
    const producer = open({ idempotent: true, maxInFlightPerBroker: 5, lingerMs: 0 });
    const records = Array.from({ length: 200 }, (_, i) => ({ topic, partition: i % 2, value: `r${i}` }));
    for (let i = 0; i < records.length; i += 20) await lastValueFrom(producer.send(records.slice(i, i + 20)));
    const read = await readUncommitted(topic, records.length);
    // The high watermarks count every record the log holds: none twice, none beyond those read.
    expect(await logEndOffsets(sharedKafka().bootstrap, topic)).toEqual([100, 100]);
    for (const p of [0, 1]) {
      expect(read.filter((r) => r.partition === p).map((r) => r.value)).toEqual(
        records.filter((r) => r.partition === p).map((r) => r.value),
      );
    }
  }, 60000);
});
