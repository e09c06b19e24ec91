/**
 * Consume, transform, produce: read topic A, transform every record, write the result to topic B,
 * and move the group's committed offsets on only once the output is written.
 *
 *   import { createConsumer, createProducer, type ConsumerRecord, type ProducerRecord } from 'kafka-rx';
 *
 * - `atLeastOnce`: each input record is acknowledged (`record.ack()`) when its output is; with
 *   `autoCommit: { ackMode: 'manual' }` commits never pass a record whose output is not written.
 *   After a crash, records since the last commit are transformed again: duplicates in B, no loss.
 * - `exactlyOnce`: per batch of input, one transaction holds the output records and the input
 *   offsets (`sendOffsetsToTransaction`); both take effect on commit, or neither. Readers of B
 *   with `isolationLevel: 'read_committed'` see every input transformed exactly once.
 *
 * Run: node --require ./bench/register.js examples/consume-transform-produce.ts [host:port] [--exactly-once]
 */
import {
  bufferTime,
  concat,
  concatMap,
  defer,
  filter,
  ignoreElements,
  last,
  lastValueFrom,
  map,
  mergeMap,
  scan,
  take,
  takeWhile,
  tap,
  toArray,
} from 'rxjs';
import {
  createConsumer,
  createProducer,
  type ConsumerConfig,
  type ConsumerRecord,
  type ProducerRecord,
} from '../src';
import { runExample } from './run-example';

export interface PipelineOptions {
  readonly brokers: string[];
  /** Topic A. */
  readonly input?: string;
  /** Topic B. */
  readonly output?: string;
  readonly groupId?: string;
  /** Stop after this many input records. */
  readonly count: number;
  /** The transformation; by default the value in upper case, with the input's place in a header. */
  readonly transform?: (record: ConsumerRecord, output: string) => ProducerRecord;
  /** Group timeouts (tests shorten them, so a crashed instance leaves the group sooner). */
  readonly timeouts?: Pick<ConsumerConfig, 'sessionTimeoutMs' | 'heartbeatIntervalMs' | 'rebalanceTimeoutMs'>;
}

export interface ExactlyOnceOptions extends PipelineOptions {
  /** Names this pipeline instance: a restarted instance with the same id fences the old one. */
  readonly transactionalId?: string;
  /** Most input records per transaction. */
  readonly batchSize?: number;
}

/** Upper-cases the value, keeps the key, and records where the input came from. */
export function upperCase(record: ConsumerRecord, output: string): ProducerRecord {
  return {
    topic: output,
    key: record.key,
    value: record.value?.toString().toUpperCase() ?? null,
    headers: [['source', `${record.topic}/${record.partition}@${record.offset}`]],
  };
}

/** The next offset to consume of every partition in a batch: what a commit of the batch stores. */
function nextOffsets(
  batch: readonly ConsumerRecord[],
): { topic: string; partition: number; offset: bigint }[] {
  const next = new Map<string, { topic: string; partition: number; offset: bigint }>();
  for (const r of batch) {
    const key = `${r.topic}/${r.partition}`;
    if ((next.get(key)?.offset ?? -1n) <= r.offset)
      next.set(key, { topic: r.topic, partition: r.partition, offset: r.offset + 1n });
  }
  return [...next.values()];
}

/** At least once: returns one `A/partition@offset -> B/partition@offset` line per input record. */
export async function atLeastOnce({
  brokers,
  input = 'words',
  output = 'words-upper',
  groupId = 'transform-at-least-once',
  count,
  transform = upperCase,
  timeouts,
}: PipelineOptions): Promise<string[]> {
  const consumer = createConsumer({
    ...timeouts,
    brokers,
    groupId,
    topics: [input],
    fromBeginning: true,
    autoCommit: { intervalMs: 1000, ackMode: 'manual' },
  });
  const producer = createProducer({ brokers });
  try {
    return await lastValueFrom(
      consumer.messages$.pipe(
        // Many records in flight at once: the producer batches them per partition.
        mergeMap(
          (record) =>
            producer.send(transform(record, output)).pipe(
              // Written to B (acks=all): now the input may be committed.
              tap(() => record.ack()),
              map(
                ([written]) =>
                  `${record.topic}/${record.partition}@${record.offset} -> ${written.topic}/${written.partition}@${written.offset}`,
              ),
            ),
          100,
        ),
        // Counted after the acknowledgement, so closing commits every input that was written.
        take(count),
        toArray(),
      ),
    );
  } finally {
    await consumer.close();
    await producer.close();
  }
}

/** Exactly once: returns the number of records in each committed transaction. */
export async function exactlyOnce({
  brokers,
  input = 'words',
  output = 'words-upper',
  groupId = 'transform-exactly-once',
  count,
  transform = upperCase,
  transactionalId = `${groupId}-0`,
  batchSize = 100,
  timeouts,
}: ExactlyOnceOptions): Promise<number[]> {
  const consumer = createConsumer({
    ...timeouts,
    brokers,
    groupId,
    topics: [input],
    fromBeginning: true,
    // Offsets go with the transactions, not with OffsetCommit.
    autoCommit: false,
    // Input written by transactions counts only once committed.
    isolationLevel: 'read_committed',
  });
  const producer = createProducer({ brokers, transactionalId });
  try {
    // #region exactly-once
    const committed$ = consumer.messages$.pipe(
      bufferTime(50, null, batchSize),
      filter((batch) => batch.length > 0),
      // One transaction at a time, in input order: the output records and the input offsets.
      concatMap((batch) =>
        producer
          .transaction((tx) =>
            concat(
              tx.send(batch.map((record) => transform(record, output))).pipe(ignoreElements()),
              // Calls act when made: the offsets go once the output is acknowledged.
              defer(() => tx.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata())),
            ),
          )
          .pipe(map(() => batch.length)),
      ),
    );
    // #endregion
    return await lastValueFrom(
      committed$.pipe(
        scan((sizes, size) => [...sizes, size], [] as number[]),
        // Stops once `count` inputs are committed; closing the consumer then leaves the group.
        takeWhile((sizes) => sizes.reduce((a, b) => a + b, 0) < count, true),
        last(),
      ),
    );
  } finally {
    await consumer.close();
    await producer.close();
  }
}

if (require.main === module) {
  // `--exactly-once` needs brokers with transactions (the embedded fake cluster has them).
  const words = ['apple', 'banana', 'cherry', 'damson', 'elder', 'fig'];
  const exactly = process.argv.includes('--exactly-once');
  const run = (brokers: string[]): Promise<unknown> =>
    exactly ? exactlyOnce({ brokers, count: words.length }) : atLeastOnce({ brokers, count: words.length });
  void runExample('words', run, (cluster) => {
    cluster.createTopic('words-upper', 3);
    words.forEach((word, i) => cluster.append('words', i % 3, [{ key: word, value: word }]));
  });
}
