import { config, lastValueFrom } from 'rxjs';
import {
  createConsumer,
  createShareConsumer,
  type ConsumerEvent,
  type ShareConsumerEvent,
} from '../../../../src/consumer';
import { createProducer } from '../../../../src/producer';
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

// A one-node cluster restarted: while it is down no Metadata request can be answered, for longer
// than a metadata lookup retries. (The consumer used to stop fetching for good after that.)
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
    const send = (batch: string[]) =>
      lastValueFrom(producer.send(batch.map((value) => ({ topic, key: value, value }))));
    const node = cluster.brokers[0].nodeId;
    let down = false;
    try {
      const before = values('before', 50);
      await send(before);
      await waitUntil(() => read.length === before.length, 40000, `the group read ${before.length}`);

      await cluster.kill(node);
      down = true;
      const during = values('during', 50);
      // Accepted while the broker is down; delivered once it is back (within maxBlockMs and deliveryTimeoutMs).
      const duringSent = send(during);
      await new Promise((resolve) => setTimeout(resolve, 8000));
      // The consumer saw the outage: its metadata lookups gave up.
      expect(errors.some((m) => m.includes('no broker answered'))).toBe(true);
      await cluster.restart(node);
      down = false;
      await duringSent;
      const after = values('after', 50);
      await send(after);

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
      if (down) await cluster.restart(node);
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
    const send = (batch: string[]) =>
      lastValueFrom(producer.send(batch.map((value) => ({ topic, key: value, value }))));
    const node = cluster.brokers[0].nodeId;
    let down = false;
    try {
      const before = values('share-before', 20);
      await send(before);
      await waitUntil(
        () => before.every((v) => read.includes(v)),
        40000,
        'the share consumer read the first 20',
      );
      await cluster.kill(node);
      down = true;
      await new Promise((resolve) => setTimeout(resolve, 8000));
      expect(errors.some((m) => m.includes('no broker answered'))).toBe(true);
      await cluster.restart(node);
      down = false;
      const after = values('share-after', 20);
      await send(after);
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
      if (down) await cluster.restart(node);
      await new Promise((resolve) => setTimeout(resolve, 10));
      config.onUnhandledError = null;
    }
    expect(unhandled).toEqual([]);
  }, 150000);
});
