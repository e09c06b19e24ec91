/**
 * @platformatic/kafka: the `MessagesStream` of `consumer.consume()` in flowing mode ('data'
 * events), a fresh group, mode `earliest`, auto-commit off, every other setting at its default
 * (highWaterMark 1024 records, 10 MiB per fetch).
 */
import { Consumer, MessagesStreamModes } from '@platformatic/kafka';
import { fail, finish, message, runnerArgs, Tally, watchFirstRecord } from './runner';

async function main(): Promise<void> {
  const args = runnerArgs();
  const tally = new Tally(args.records);
  const consumer = new Consumer({
    groupId: args.groupId,
    clientId: 'bench-platformatic',
    bootstrapBrokers: args.brokers,
  });
  watchFirstRecord(args, tally);

  const stream = await consumer.consume({
    topics: [args.topic],
    mode: MessagesStreamModes.EARLIEST,
    autocommit: false,
  });
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (m) => {
      if (tally.addRecord(m.partition, Number(m.offset), m.key, m.value)) resolve();
    });
    stream.once('error', reject);
  });
  await finish(tally, async () => {
    await stream.close();
    await consumer.close(true);
  });
}

main().catch((error: unknown) => fail(message(error)));
