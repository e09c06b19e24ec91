/**
 * KafkaJS: `producer.send()` of 1000 records at a time, at most 5 at a time (its requests in
 * flight per connection), acks=all (its default), every other setting at its default. It has
 * gzip built in and no other codec: the others fail.
 */
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { fail, finish, keys, message, produceArgs, wallClockMs, type Codec } from './runner';

const CHUNK = 1000;
const CODEC: Record<Codec, CompressionTypes | undefined> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: undefined,
  lz4: undefined,
  zstd: undefined,
};

async function main(): Promise<void> {
  const args = produceArgs();
  const compression = CODEC[args.compression];
  if (compression === undefined) fail(`KafkaJS has no built-in ${args.compression} codec`);
  const all = keys(args.records);
  const value = Buffer.alloc(args.valueBytes, 'v');
  const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers: args.brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const firstSendAt = wallClockMs();
  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const chunk = all.slice(next, (next += CHUNK));
      await producer.send({
        topic: args.topic,
        acks: -1,
        compression,
        messages: chunk.map((key) => ({ key, value })),
      });
    }
  };
  await Promise.all(Array.from({ length: 5 }, worker));
  const lastAckAt = wallClockMs();
  await producer.disconnect();
  finish(args.records, firstSendAt, lastAckAt);
}

main().catch((error: unknown) => fail(message(error)));
