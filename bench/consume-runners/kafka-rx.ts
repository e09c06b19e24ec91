/**
 * kafka-rx: `consumer.messages$` of a fresh group, from the beginning, auto-commit off,
 * every other setting at its default.
 */
import type { Subscription } from 'rxjs';
import { fail, finish, message, runnerArgs, Tally, trace, watchFirstRecord } from './runner';

async function main(): Promise<void> {
  const args = runnerArgs();
  const tally = new Tally(args.records);

  // Loaded at run time so that a consumer not written yet is a clear failure, not a crash.
  let consumerModule: typeof import('../../src/consumer');
  try {
    consumerModule = await import('../../src/consumer');
  } catch (error) {
    fail(`cannot load src/consumer: ${message(error)}`);
  }
  if (typeof consumerModule.createConsumer !== 'function') fail('src/consumer exports no createConsumer');

  const consumer = consumerModule.createConsumer({
    brokers: args.brokers,
    groupId: args.groupId,
    topics: [args.topic],
    fromBeginning: true,
    autoCommit: false,
  });

  // Only for the failure message: where the consumer got stuck.
  let phase = 'not started';
  let lastError = '';
  consumer.events$.subscribe((event) => {
    if (event.type === 'membership') phase = `${event.phase}, ${event.reason}`;
    else if (event.type === 'error') lastError = message(event.error);
    else if (event.type === 'request' && event.api === 'Fetch')
      trace(`request\t${event.broker.nodeId ?? -1}`);
    else if (event.type === 'fetch')
      trace(`fetch\t${event.broker.nodeId ?? -1}\t${event.partitions}\t${event.records}\t${event.bytes}`);
  });
  watchFirstRecord(args, tally, () => `membership: ${phase}${lastError ? `; last error: ${lastError}` : ''}`);

  await new Promise<void>((resolve) => {
    let subscription: Subscription | undefined;
    subscription = consumer.messages$.subscribe({
      next(record) {
        if (tally.addRecord(record.partition, Number(record.offset), record.key, record.value)) {
          subscription?.unsubscribe();
          subscription = undefined;
          resolve();
        }
      },
      error(error: unknown) {
        fail(`messages$ failed after ${tally.records} records: ${message(error)}`);
      },
      complete() {
        fail(`messages$ completed after ${tally.records} records`);
      },
    });
    // The last record may arrive synchronously, before `subscribe` returned.
    if (tally.done) subscription.unsubscribe();
  });
  await finish(tally, () => consumer.close());
}

main().catch((error: unknown) => fail(message(error)));
