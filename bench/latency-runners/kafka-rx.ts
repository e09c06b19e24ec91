/**
 * kafka-rx: one `producer.send(record)` per record, awaited for its acknowledgement, every setting
 * at its default (acks=all, idempotent, linger 5 ms).
 */
import { createProducer } from '../../src/producer';
import { fail, finish, latencyArgs, message, paced } from './runner';

async function main(): Promise<void> {
  const args = latencyArgs();
  const value = Buffer.alloc(args.valueBytes, 'v');
  const producer = createProducer({ brokers: args.brokers });
  const { latencies, late } = await paced(args, (i, done) => {
    producer.send({ topic: args.topic, key: `k${i}`, value }).then(() => done(), done);
  });
  await producer.close();
  finish(latencies, late);
}

main().catch((error: unknown) => fail(message(error)));
