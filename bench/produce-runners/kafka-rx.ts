/**
 * kafka-rx: `producer.send()` of all records at once, in sends of 1000, with every setting at its
 * default (acks=all, idempotent, linger 5 ms) but the codec.
 */
import { lastValueFrom, forkJoin } from 'rxjs';
import { createProducer, type ProducerRecord } from '../../src/producer';
import { fail, finish, kafkaRxSettings, keys, message, produceArgs, wallClockMs } from './runner';

const CHUNK = 1000;

async function main(): Promise<void> {
  const args = produceArgs();
  const all = keys(args.records);
  const value = Buffer.alloc(args.valueBytes, 'v');
  const producer = createProducer(kafkaRxSettings(args));
  const firstSendAt = wallClockMs();
  const sends = [];
  for (let i = 0; i < all.length; i += CHUNK) {
    const records: ProducerRecord[] = all
      .slice(i, i + CHUNK)
      .map((key) => ({ topic: args.topic, key, value }));
    sends.push(producer.send(records));
  }
  await lastValueFrom(forkJoin(sends));
  const lastAckAt = wallClockMs();
  await producer.close();
  finish(args.records, firstSendAt, lastAckAt);
}

main().catch((error: unknown) => fail(message(error)));
