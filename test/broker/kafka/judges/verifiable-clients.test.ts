import { lastValueFrom } from 'rxjs';
import { createConsumer, type ConsumerRecord } from '../../../../src/consumer';
import { createProducer, type RecordMetadata } from '../../../../src/producer';
import { runKafkaToolOk } from '../kafka-tool';
import { sharedKafka } from '../shared-kafka';
import { createTopics, uniqueName } from '../topics';
import { describeGroup } from './describe-group';
import { waitUntil } from './wait-until';

const PARTITIONS = 3;
const N = 2000;

interface ToolEvent {
  name: string;
  key?: string | null;
  value?: string;
  partition?: number;
  offset?: number;
}

/** The JSON lines a Verifiable* tool printed. */
function events(stdout: string): ToolEvent[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as ToolEvent);
}

const place = (partition: number, offset: number | bigint, value: string): string =>
  `${partition}:${offset}:${value}`;

// Kafka's system-test clients (VerifiableProducer, VerifiableConsumer) judge kafka-rx.
describe('Kafka system-test clients and kafka-rx', () => {
  it('kafka-rx reads every record VerifiableProducer had acknowledged, once', async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('judge-verifiable-produced');
    await createTopics(bootstrap, [{ name: topic, partitions: PARTITIONS }]);
    const produced = events(
      (
        await runKafkaToolOk(
          'org.apache.kafka.tools.VerifiableProducer',
          ['--bootstrap-server', bootstrap, '--topic', topic, '--max-messages', String(N), '--acks', '-1'],
          { timeoutMs: 60000 },
        )
      ).stdout,
    );
    const acked = produced.filter((e) => e.name === 'producer_send_success');
    expect(acked).toHaveLength(N);
    expect(produced.filter((e) => e.name === 'producer_send_error')).toEqual([]);

    const consumer = createConsumer({
      brokers: [bootstrap],
      groupId: uniqueName('judge-verifiable-group'),
      topics: [topic],
      fromBeginning: true,
      fetch: { maxWaitMs: 100 },
    });
    const read: ConsumerRecord[] = [];
    consumer.messages$.subscribe((r) => read.push(r));
    try {
      await waitUntil(() => read.length >= N, 30000, `kafka-rx read ${N} records (read ${read.length})`);
      // A record more would be a duplicate or a record nobody acknowledged: give it a moment to show.
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await consumer.close();
    }
    expect(read.map((r) => place(r.partition, r.offset, r.value!.toString())).sort()).toEqual(
      acked.map((e) => place(e.partition!, e.offset!, e.value!)).sort(),
    );
  }, 90000);

  it('VerifiableConsumer reads every record the idempotent kafka-rx producer had acknowledged, once', async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('judge-verifiable-consumed');
    const group = uniqueName('judge-verifiable-consumer');
    await createTopics(bootstrap, [{ name: topic, partitions: PARTITIONS }]);
    const producer = createProducer({
      brokers: [bootstrap],
      idempotent: true,
      lingerMs: 2,
      batchBytes: 4096,
    });
    let acked: RecordMetadata[][];
    try {
      // Many sends at once: several batches per partition in flight together.
      acked = await Promise.all(
        Array.from({ length: 20 }, (_, s) =>
          lastValueFrom(
            producer.send(
              Array.from({ length: N / 20 }, (_, i) => ({ topic, key: `k${s}-${i}`, value: `v${s}-${i}` })),
            ),
          ),
        ),
      );
    } finally {
      await producer.close();
    }
    const sent = acked.flatMap((metadata, s) =>
      metadata.map((m, i) => place(m.partition, m.offset, `v${s}-${i}`)),
    );
    expect(new Set(sent).size).toBe(N);

    const run = await runKafkaToolOk(
      'org.apache.kafka.tools.VerifiableConsumer',
      [
        '--bootstrap-server',
        bootstrap,
        '--topic',
        topic,
        '--group-id',
        group,
        '--max-messages',
        String(N),
        '--reset-policy',
        'earliest',
        '--verbose',
      ],
      { timeoutMs: 60000 },
    );
    const read = events(run.stdout).filter((e) => e.name === 'record_data');
    expect(read.map((e) => place(e.partition!, e.offset!, e.value!)).sort()).toEqual(sent.sort());

    // Nothing else is in the log: its end is where the acknowledged offsets end, in every partition.
    const logEnds = (await describeGroup(bootstrap, group))
      .map((row) => ({ partition: Number(row.PARTITION), logEnd: BigInt(row['LOG-END-OFFSET']) }))
      .sort((a, b) => a.partition - b.partition);
    expect(logEnds).toEqual(
      Array.from({ length: PARTITIONS }, (_, p) => ({
        partition: p,
        logEnd: BigInt(acked.flat().filter((m) => m.partition === p).length),
      })),
    );
  }, 90000);
});
