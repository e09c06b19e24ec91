import { lastValueFrom } from 'rxjs';
import { createProducer } from '../../../src/producer';
import { consoleConsume, consoleProduce, type Codec } from './console-tools';
import { logEndOffsets } from './log-end-offsets';
import { sharedKafka } from './shared-kafka';
import { createTopics, uniqueName } from './topics';
import { readAndClose } from '../../support/read-and-close';

const CODECS: Codec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const N = 40;

// kafka-rx against Apache Kafka over TCP, judged by Kafka's own console clients.
describe('kafka-rx and Apache Kafka over TCP', () => {
  it('writes keyed records with every codec that ConsoleConsumer reads back exactly', async () => {
    const { bootstrap } = sharedKafka();
    const prefix = uniqueName('smoke-produce');
    await createTopics(
      bootstrap,
      CODECS.map((codec) => ({ name: `${prefix}-${codec}`, partitions: 1 })),
    );
    for (const codec of CODECS) {
      const producer = createProducer({ brokers: [bootstrap], compression: codec });
      try {
        const metadata = await lastValueFrom(
          producer.send(
            Array.from({ length: N }, (_, i) => ({
              topic: `${prefix}-${codec}`,
              key: `${codec}-key-${i}`,
              value: `${codec}-value-${i}`,
              headers: [['codec', codec]],
            })),
          ),
        );
        expect(metadata.map((m) => m.offset)).toEqual(Array.from({ length: N }, (_, i) => BigInt(i)));
      } finally {
        await producer.close();
      }
    }

    const read = await consoleConsume({ bootstrap, include: `${prefix}-.*`, maxMessages: CODECS.length * N });
    // Nothing beyond what was read: each log ends at N.
    for (const codec of CODECS) expect(await logEndOffsets(bootstrap, `${prefix}-${codec}`)).toEqual([N]);

    for (const codec of CODECS) {
      const mine = read.filter((r) => r.value.startsWith(`${codec}-`));
      expect(mine).toEqual(
        Array.from({ length: N }, (_, i) => ({
          partition: 0,
          offset: i,
          headers: [['codec', codec]],
          key: `${codec}-key-${i}`,
          value: `${codec}-value-${i}`,
        })),
      );
    }
    expect(read).toHaveLength(CODECS.length * N);
  }, 60000);

  it('reads in a consumer group exactly the records ConsoleProducer wrote', async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('smoke-consume');
    await createTopics(bootstrap, [{ name: topic, partitions: 3 }]);
    const written = Array.from({ length: N }, (_, i) => ({ key: `key-${i}`, value: `value-${i}` }));
    await consoleProduce({ bootstrap, topic, records: written, codec: 'lz4' });

    const { records, commits } = await readAndClose(
      { brokers: [bootstrap], groupId: uniqueName('smoke-group'), topics: [topic] },
      N,
    );

    const got = records.map((r) => ({ key: r.key?.toString(), value: r.value?.toString() }));
    expect(got.sort((a, b) => a.key!.localeCompare(b.key!))).toEqual(
      [...written].sort((a, b) => a.key.localeCompare(b.key)),
    );
    // Closing committed the end of every partition: nothing beyond the N records is there.
    const closing = commits.filter((c) => c.trigger === 'close').pop();
    expect(closing?.error).toBeUndefined();
    const committed = closing!.offsets.reduce((sum, o) => sum + o.offset, 0n);
    expect(committed).toBe(BigInt(N));
  }, 60000);
});
