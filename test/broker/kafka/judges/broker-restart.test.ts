import { config, lastValueFrom } from 'rxjs';
import {
  createConsumer,
  createShareConsumer,
  type ConsumerEvent,
  type ShareConsumerEvent,
} from '../../../../src/consumer';
import { createProducer, type Producer } from '../../../../src/producer';
import { consoleConsume } from '../console-tools';
import { startKafka, type KafkaCluster } from '../kafka-cluster';
import { shareTopic } from '../share-topic';
import { createTopics, uniqueName } from '../topics';
import { waitUntil } from './wait-until';

let cluster: KafkaCluster;

beforeAll(async () => {
  cluster = await startKafka({ brokers: 1, readyTimeoutMs: 60000 });
}, 90000);

afterAll(async () => {
  await cluster?.stop();
});

const values = (round: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${round}-${i}`);

/** Sends each value as a record keyed by itself; resolves once all are acknowledged. */
const sendValues = (producer: Producer, topic: string, batch: string[]) =>
  lastValueFrom(producer.send(batch.map((value) => ({ topic, key: value, value }))));

/**
 * Kills the only broker, runs `whileDown`, and starts it again 8 s later: past the consumer's
 * metadata retries, whose giving up `errors` (the consumer's error events) must show.
 */
async function outage(errors: readonly string[], whileDown: () => void = () => undefined): Promise<void> {
  const node = cluster.brokers[0].nodeId;
  await cluster.kill(node);
  try {
    whileDown();
    await new Promise((resolve) => setTimeout(resolve, 8000));
    expect(errors.some((m) => m.includes('no broker answered'))).toBe(true);
  } finally {
    await cluster.restart(node);
  }
}

// A one-node cluster restarted: while it is down no Metadata request can be answered, for longer
// than a metadata lookup retries. (The consumers used to stop fetching for good after that.)
describe('kafka-rx through a restart of a one-node Kafka', () => {
  it('the only broker killed and started again: the group reads what was produced before, during and after, and the log holds each record once', async () => {
    const topic = uniqueName('judge-restart');
    await createTopics(cluster.bootstrap, [{ name: topic, partitions: 2 }]);
    const brokers = cluster.bootstrap.split(',');
    const consumer = createConsumer({
      brokers,
      groupId: uniqueName('judge-restart-group'),
      topics: [topic],
      fromBeginning: true,
      fetch: { maxWaitMs: 100 },
    });
    const producer = createProducer({ brokers });
    const read: string[] = [];
    const errors: string[] = [];
    consumer.messages$.subscribe((r) => read.push(r.value!.toString()));
    consumer.events$.subscribe((e: ConsumerEvent) => {
      if (e.type === 'error') errors.push(e.error.message);
    });
    try {
      const before = values('before', 50);
      await sendValues(producer, topic, before);
      await waitUntil(() => read.length === before.length, 40000, `the group read ${before.length}`);
      const during = values('during', 50);
      let duringSent: Promise<unknown> = Promise.resolve();
      // Accepted while the broker is down; delivered once it is back (within maxBlockMs and deliveryTimeoutMs).
      await outage(errors, () => (duringSent = sendValues(producer, topic, during)));
      await duringSent;
      const after = values('after', 50);
      await sendValues(producer, topic, after);

      const all = [...before, ...during, ...after];
      await waitUntil(
        () => all.every((v) => read.includes(v)),
        40000,
        `the group read everything after the restart (read ${new Set(read).size} of ${all.length})`,
      );
      expect([...new Set(read)].sort()).toEqual([...all].sort());
      // Kafka's own consumer: each record is in the log once.
      const logged = await consoleConsume({ bootstrap: cluster.bootstrap, topic, maxMessages: all.length });
      expect(logged.map((r) => r.value).sort()).toEqual([...all].sort());
    } finally {
      await Promise.all([consumer.close(), producer.close()]);
    }
  }, 150000);

  it('the only broker killed and started again under a share consumer: it hands out the records produced after, and nothing is thrown', async () => {
    const { topic, group } = await shareTopic(cluster.bootstrap, 'judge-restart-share', 2);
    const brokers = cluster.bootstrap.split(',');
    const unhandled: unknown[] = [];
    config.onUnhandledError = (error) => unhandled.push(error);
    const consumer = createShareConsumer({ brokers, groupId: group, topics: [topic], maxWaitMs: 200 });
    const producer = createProducer({ brokers });
    const read: string[] = [];
    const errors: string[] = [];
    let failed: unknown;
    consumer.records$.subscribe({ next: (r) => read.push(r.value!.toString()), error: (e) => (failed = e) });
    consumer.events$.subscribe((e: ShareConsumerEvent) => {
      if (e.type === 'error') errors.push(e.error.message);
    });
    try {
      const before = values('share-before', 20);
      await sendValues(producer, topic, before);
      await waitUntil(
        () => before.every((v) => read.includes(v)),
        40000,
        'the share consumer read the first 20',
      );
      await outage(errors);
      const after = values('share-after', 20);
      await sendValues(producer, topic, after);
      await waitUntil(
        () => after.every((v) => read.includes(v)),
        40000,
        `the share consumer read what was produced after the restart (read ${read.filter((v) => v.startsWith('share-after')).length} of 20)`,
      );
      // Records whose acceptance died with the broker may come again; nothing else.
      expect([...new Set(read)].sort()).toEqual([...before, ...after].sort());
      expect(failed).toBeUndefined();
    } finally {
      await Promise.all([consumer.close(), producer.close()]);
      // RxJS reports an error nothing handled on a timer of its own.
      await new Promise((resolve) => setTimeout(resolve, 10));
      config.onUnhandledError = null;
    }
    expect(unhandled).toEqual([]);
  }, 150000);
});
