/**
 * KafkaJS: one `producer.send()` of one record per record, awaited for its acknowledgement, every
 * setting at its default (acks=all; no linger: it sends what each `send` is given at once).
 */
import { Kafka, logLevel } from 'kafkajs';
import { fail, finish, latencyArgs, message, paced } from './runner';

async function main(): Promise<void> {
  const args = latencyArgs();
  const value = Buffer.alloc(args.valueBytes, 'v');
  const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers: args.brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const { latencies, late } = await paced(args, (i, done) => {
    producer.send({ topic: args.topic, messages: [{ key: `k${i}`, value }] }).then(() => done(), done);
  });
  await producer.disconnect();
  finish(latencies, late);
}

main().catch((error: unknown) => fail(message(error)));
