/**
 * The whole life of a topic from code: create it, produce, consume in a group until caught up
 * (`consumer.lag$`), read the group's lag, reset its offsets, delete the group and the topic.
 * `kafka-rx topics|produce|consume|groups` do the same at the command line (README, Command line).
 *
 *   import { createAdmin, createConsumer, createProducer } from 'kafka-rx';
 *
 * Run: node --require ./bench/register.js examples/walkthrough.ts [host:port]   (no broker: a fake cluster)
 */
import { filter, firstValueFrom } from 'rxjs';
import { createAdmin, createConsumer, createProducer } from '../src';
import { createFakeCluster } from '../src/testing';

export interface WalkthroughOptions {
  readonly brokers: string[];
  readonly topic?: string;
  readonly groupId?: string;
}

/** Runs the walk-through; returns what each step saw. */
export async function main({ brokers, topic = 'walkthrough', groupId = 'walkers' }: WalkthroughOptions) {
  // #region walkthrough
  const admin = createAdmin({ brokers });
  const [created] = await admin.createTopics([{ name: topic, partitions: 2 }]);
  if (created.error) throw created.error;

  const producer = createProducer({ brokers });
  await producer.send(['a', 'b', 'c'].map((value) => ({ topic, value })));
  await producer.close();

  const consumer = createConsumer({ brokers, groupId, topics: [topic], fromBeginning: true });
  const subscription = consumer.messages$.subscribe((record) => console.log(record.value?.toString()));
  // lag$: after each fetch, per assigned partition, how far the application is behind the end.
  await firstValueFrom(consumer.lag$.pipe(filter((l) => l.length === 2 && l.every((p) => p.lag === 0n))));
  subscription.unsubscribe();
  await consumer.close(); // commits and leaves the group

  const before = await admin.lag(groupId); // { partitions: [{ topic, partition, committed, end, lag }], total }
  await admin.resetOffsets(groupId, [topic], 'earliest'); // the group must be empty
  const after = await admin.lag(groupId); // total: 3 again
  await admin.deleteGroups([groupId]);
  await admin.deleteTopics([topic]);
  await admin.close();
  // #endregion
  return { before: before.total, after: after.total };
}

if (require.main === module) {
  void (async () => {
    const given = process.argv[2];
    const cluster = given === undefined ? createFakeCluster() : undefined;
    const brokers = given?.split(',') ?? (await cluster!.listen()).brokers;
    const { before, after } = await main({ brokers });
    console.log(`lag after consuming: ${before}; after the reset: ${after}`);
    await cluster?.close();
  })();
}
