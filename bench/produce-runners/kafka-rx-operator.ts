/**
 * kafka-rx through the `produce` operator: record numbers from a generator, each made into a
 * record by the operator's `toRecord` as the producer has room (bufferMemory), every setting at
 * its default (acks=all, idempotent, linger 5 ms) but the codec.
 */
import { from, lastValueFrom, count } from 'rxjs';
import { createProducer, produce } from '../../src/producer';
import { fail, finish, kafkaRxSettings, message, produceArgs, wallClockMs } from './runner';

function* recordNumbers(records: number): Generator<number> {
  for (let i = 0; i < records; i++) yield i;
}

async function main(): Promise<void> {
  const args = produceArgs();
  const value = Buffer.alloc(args.valueBytes, 'v');
  const producer = createProducer(kafkaRxSettings(args));
  const firstSendAt = wallClockMs();
  const written = await lastValueFrom(
    from(recordNumbers(args.records)).pipe(
      produce(producer, (i: number) => ({ topic: args.topic, key: `k${i}`, value })),
      count(),
    ),
  );
  const lastAckAt = wallClockMs();
  if (written !== args.records) fail(`${written} of ${args.records} records acknowledged`);
  await producer.close();
  finish(args.records, firstSendAt, lastAckAt);
}

main().catch((error: unknown) => fail(message(error)));
