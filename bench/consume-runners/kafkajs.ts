/**
 * KafkaJS: `consumer.run({ eachBatch })` of a fresh group, from the beginning, auto-commit off,
 * every other setting at its default (one partition processed at a time, 1 MiB per partition
 * and 10 MiB per fetch).
 */
import { Kafka, logLevel } from 'kafkajs';
import { fail, finish, message, runnerArgs, Tally, watchFirstRecord } from './runner';

async function main(): Promise<void> {
  const args = runnerArgs();
  const tally = new Tally(args.records);
  const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers: args.brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: args.groupId });
  let lastCrash = '';
  consumer.on(consumer.events.CRASH, (event) => {
    lastCrash = message(event.payload.error);
    // KafkaJS gives up (e.g. a codec it lacks): nothing would keep this process alive to say so.
    if (!event.payload.restart) fail(`crashed after ${tally.records} records: ${lastCrash}`);
  });
  watchFirstRecord(args, tally, () => (lastCrash ? `last crash: ${lastCrash}` : ''));

  await consumer.connect();
  await consumer.subscribe({ topics: [args.topic], fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) {
            if (tally.addRecord(batch.partition, Number(m.offset), m.key, m.value)) resolve();
          }
        },
      })
      .catch(reject);
  });
  await finish(tally, () => consumer.disconnect());
}

main().catch((error: unknown) => fail(message(error)));
