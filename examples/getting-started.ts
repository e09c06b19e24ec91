/**
 * Getting started: write a few records, then read them in a consumer group, at least once.
 *
 * Run: node --require ./bench/register.js examples/getting-started.ts [host:port]
 * (with no broker it starts the fake cluster from kafka-rx/testing on a local port)
 */
import { createConsumer, createProducer, processRecords } from '../src';
import { runExample } from './run-example';

export interface GettingStartedOptions {
  readonly brokers: string[];
  /** Where handled records are reported; `console.log` by default. */
  readonly log?: (line: string) => void;
}

/** Sends three greetings, then consumes the topic until stopped (or SIGINT); resolves with the stop function. */
export async function main({
  brokers,
  log = console.log,
}: GettingStartedOptions): Promise<() => Promise<void>> {
  // #region getting-started
  const producer = createProducer({ brokers });
  await producer.send([
    { topic: 'greetings', key: 'alice', value: 'hello' },
    { topic: 'greetings', key: 'bob', value: 'hi' },
    { topic: 'greetings', key: 'carol', value: 'hey' },
  ]);

  const consumer = createConsumer({
    brokers,
    groupId: 'greeters',
    topics: ['greetings'],
    fromBeginning: true,
  });
  consumer.messages$
    .pipe(processRecords(async (record) => log(`${record.key}: ${record.value}`)))
    .subscribe({ error: (error) => console.error(error) });

  const stop = async () => {
    await consumer.close(); // commits what was processed, leaves the group
    await producer.close();
  };
  process.once('SIGINT', stop);
  // #endregion
  return stop;
}

if (require.main === module) {
  void runExample(
    'greetings',
    async (brokers) => {
      let seen = 0;
      let done: () => void = () => undefined;
      const all = new Promise<void>((resolve) => (done = resolve));
      const stop = await main({ brokers, log: (line) => (console.log(line), ++seen === 3 && done()) });
      await all;
      // The third record is done once its handler's promise has settled, just after the log line.
      await new Promise((resolve) => setImmediate(resolve));
      process.removeListener('SIGINT', stop);
      await stop();
      return `${seen} records handled`;
    },
    () => undefined,
  );
}
