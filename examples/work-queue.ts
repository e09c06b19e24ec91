/**
 * A work queue on a share group (KIP-932, Kafka 4.1+): a pool of share consumers takes jobs from
 * one topic record by record, however many partitions it has. A job that fails is released and
 * delivered again (to any worker) with its `deliveryCount` one higher; after `maxDeliveries`
 * attempts it goes to a dead-letter topic and is rejected, so the broker never delivers it again.
 *
 *   import { createShareConsumer, createProducer, type ShareRecord } from 'kafka-rx';
 *
 * Run: node --require ./bench/register.js examples/work-queue.ts host:port
 */
import {
  concatMap,
  defer,
  EMPTY,
  from,
  lastValueFrom,
  merge,
  mergeMap,
  take,
  toArray,
  type Observable,
} from 'rxjs';
import { createProducer, createShareConsumer, type ShareRecord } from '../src';

export interface WorkQueueOptions {
  readonly brokers: string[];
  readonly topic?: string;
  readonly deadLetterTopic?: string;
  readonly groupId?: string;
  readonly workers?: number;
  /** Attempts before a job is dead-lettered. */
  readonly maxDeliveries?: number;
  /** Jobs to finish (done or dead-lettered) before stopping. */
  readonly count: number;
  /** The work; a rejection means "failed, try again". */
  readonly handle: (job: ShareRecord) => Promise<void>;
}

export interface Outcome {
  readonly job: string;
  readonly outcome: 'done' | 'dead-lettered';
  readonly deliveries: number;
}

/** Runs `workers` share consumers until `count` jobs are finished; each worker handles two jobs at a time. */
export async function main({
  brokers,
  topic = 'jobs',
  deadLetterTopic = 'jobs.dead-letter',
  groupId = 'job-workers',
  workers = 3,
  maxDeliveries = 3,
  count,
  handle,
}: WorkQueueOptions): Promise<Outcome[]> {
  const producer = createProducer({ brokers });
  // #region work-queue
  const pool = Array.from({ length: workers }, () =>
    createShareConsumer({
      brokers,
      groupId,
      topics: [topic],
      acknowledgementMode: 'explicit',
      maxRecords: 10,
    }),
  );
  const work = (job: ShareRecord): Observable<Outcome> =>
    defer(async (): Promise<Outcome | null> => {
      const name = job.value?.toString() ?? '';
      try {
        await handle(job);
        job.accept();
        return { job: name, outcome: 'done', deliveries: job.deliveryCount };
      } catch {
        if (job.deliveryCount < maxDeliveries) {
          job.release(); // another attempt, on whichever worker takes it
          return null;
        }
        // Kept for a person to look at, then taken out of the queue for good.
        const { key, value, headers } = job;
        await producer.send([{ topic: deadLetterTopic, key, value, headers }]);
        job.reject();
        return { job: name, outcome: 'dead-lettered', deliveries: job.deliveryCount };
      }
    }).pipe(concatMap((o) => (o === null ? EMPTY : from([o]))));
  // #endregion
  try {
    return await lastValueFrom(
      merge(...pool.map((c) => c.records$.pipe(mergeMap(work, 2)))).pipe(take(count), toArray()),
    );
  } finally {
    // Settled jobs are acknowledged and the members leave the group. Jobs taken but not finished
    // are released for the next run (close() rejects naming them: expected when stopping mid-queue).
    await Promise.all(pool.map((c) => c.close().catch(() => undefined)));
    await producer.close();
  }
}

if (require.main === module) {
  const brokers = [process.argv[2] ?? '127.0.0.1:9092'];
  void main({
    brokers,
    count: Number(process.env.JOBS ?? 10),
    // Fails one attempt in three, to show the retries.
    handle: async () => {
      if (Math.random() < 1 / 3) throw new Error('flaky');
    },
  }).then((outcomes) => {
    for (const o of outcomes) console.log(`${o.job}: ${o.outcome} after ${o.deliveries} deliveries`);
  });
}
