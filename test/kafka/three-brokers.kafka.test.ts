import { performance } from 'node:perf_hooks';
import { lastValueFrom, type Subscription } from 'rxjs';
import { createConsumer, type CommitResult } from '../../src/consumer';
import { createProducer, type Producer } from '../../src/producer';
import { probeGroupCoordinator } from '../broker/raw-request';
import { consoleConsume } from '../broker/kafka/console-tools';
import { startKafka, type KafkaCluster } from '../broker/kafka/kafka-cluster';
import { rawMetadata } from '../broker/kafka/raw-admin';
import { addresses, createTopics } from '../broker/kafka/topics';

function waitUntil(what: string, check: () => boolean, timeoutMs = 60000): Promise<void> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      if (check()) {
        clearInterval(poll);
        resolve();
      } else if (performance.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 50);
  });
}

/**
 * Faults on a real cluster: three Kafka nodes (each broker and controller voter), topics with
 * replication factor 3 and min.insync.replicas 2, and a node killed with SIGKILL by pid.
 */
describe('three Apache Kafka brokers, one killed', () => {
  let cluster: KafkaCluster;
  let producer: Producer;

  beforeAll(async () => {
    cluster = await startKafka({
      brokers: 3,
      // A dead broker is fenced (and its leaderships moved) within 3 s instead of 9.
      config: { 'broker.session.timeout.ms': '3000', 'broker.heartbeat.interval.ms': '500' },
    });
    await createTopics(cluster.bootstrap, [
      { name: 'orders', partitions: 1 },
      { name: 'grouped', partitions: 3 },
    ]);
    producer = createProducer({ brokers: cluster.bootstrap.split(','), idempotent: true, lingerMs: 5 });
  }, 90000);
  afterAll(async () => {
    await producer?.close();
    await cluster?.stop();
  });

  const anyLive = () =>
    addresses(cluster.bootstrap).filter((_, i) => cluster.brokers[i].pid !== undefined)[0];
  const send = (topic: string, values: string[], partition?: number) =>
    lastValueFrom(producer.send(values.map((value, i) => ({ topic, value, partition: partition ?? i % 3 }))));
  const values = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

  it('keeps every acknowledged record, once and in order, across the death and return of its leader', async () => {
    await send('orders', values('before', 50), 0);
    const leader = (await rawMetadata(anyLive(), ['orders'])).topics[0].partitions[0].leader;
    await cluster.kill(leader);
    await send('orders', values('during', 50), 0);
    const moved = (await rawMetadata(anyLive(), ['orders'])).topics[0].partitions[0].leader;
    expect(moved).not.toBe(leader);
    await cluster.restart(leader);
    await send('orders', values('after', 50), 0);

    const read = await consoleConsume({ bootstrap: cluster.bootstrap, topic: 'orders' });
    expect(read.map((r) => r.value)).toEqual([
      ...values('before', 50),
      ...values('during', 50),
      ...values('after', 50),
    ]);
  }, 120000);

  it('goes on consuming in a group after its coordinator is killed, from its commits', async () => {
    const group = 'survivor';
    const consumer = createConsumer({
      brokers: cluster.bootstrap.split(','),
      groupId: group,
      topics: ['grouped'],
      fromBeginning: true,
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 500,
      autoCommit: { intervalMs: 300 },
      fetch: { maxWaitMs: 100 },
      retryBackoffMs: 100,
    });
    const read: string[] = [];
    const commits: CommitResult[] = [];
    consumer.commits$.subscribe((c) => commits.push(c));
    const subscription: Subscription = consumer.messages$.subscribe((r) => read.push(r.value!.toString()));
    try {
      const first = values('first', 60);
      await send('grouped', first);
      await waitUntil('the first records', () => first.every((v) => read.includes(v)));
      const committedBefore = commits.filter((c) => !c.error).length;
      await waitUntil('a commit of them', () => commits.filter((c) => !c.error).length > committedBefore + 1);

      const coordinator = await probeGroupCoordinator(anyLive(), group);
      await cluster.kill(coordinator);
      const second = values('second', 60);
      await send('grouped', second);
      await waitUntil('the records written after the kill', () => second.every((v) => read.includes(v)));
      const newCoordinator = await probeGroupCoordinator(anyLive(), group);
      expect(newCoordinator).not.toBe(coordinator);
      // Commits reach the new coordinator.
      const settled = commits.length;
      await waitUntil('a commit to the new coordinator', () => commits.slice(settled).some((c) => !c.error));
      await cluster.restart(coordinator);

      expect(new Set(read)).toEqual(new Set([...first, ...second]));
    } finally {
      subscription.unsubscribe();
      await consumer.close();
    }
  }, 120000);
});
