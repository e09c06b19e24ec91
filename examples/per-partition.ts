/**
 * One stream per partition: `partitions$` emits a `PartitionStream` for each assigned partition
 * (completed when it is revoked), so records of one partition are handled in order, one at a
 * time (`processRecords`), while partitions proceed in parallel (`mergeMap`). processRecords marks
 * each record done when its work completes: commits never pass unfinished work, and a slow
 * partition stops being fetched instead of filling memory.
 *
 *   import { createConsumer, processRecords, type ConsumerRecord } from 'kafka-rx';
 *
 * Run: node --require ./bench/register.js examples/per-partition.ts [host:port]
 */
import { lastValueFrom, mergeMap, take, toArray } from 'rxjs';
import { createConsumer, processRecords, type ConsumerRecord } from '../src';
import { runExample } from './run-example';

export interface PerPartitionOptions {
  readonly brokers: string[];
  readonly topic?: string;
  readonly groupId?: string;
  readonly count?: number;
  /** The work done per record; records of one partition never overlap in it. */
  readonly handle?: (record: ConsumerRecord) => Promise<void>;
}

/** Handles `count` records and returns, per partition, the values in the order handled. */
export async function main({
  brokers,
  topic = 'sensor-readings',
  groupId = 'per-partition',
  count = 9,
  handle = async () => undefined,
}: PerPartitionOptions): Promise<Map<number, string[]>> {
  const consumer = createConsumer({ brokers, groupId, topics: [topic], fromBeginning: true });
  try {
    // #region per-partition
    // processRecords emits each record once its work is done.
    const handled$ = consumer.partitions$.pipe(mergeMap((p) => p.records$.pipe(processRecords(handle))));
    // #endregion
    const handled = await lastValueFrom(handled$.pipe(take(count), toArray()));
    const byPartition = new Map<number, string[]>();
    for (const r of handled)
      byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r.value?.toString() ?? '']);
    return byPartition;
  } finally {
    await consumer.close();
  }
}

if (require.main === module) {
  void runExample(
    'sensor-readings',
    (brokers) => main({ brokers }),
    (cluster) => {
      for (let p = 0; p < 3; p++) {
        cluster.append(
          'sensor-readings',
          p,
          [1, 2, 3].map((n) => ({ key: `sensor-${p}`, value: `sensor-${p} reading ${n}` })),
        );
      }
    },
  );
}
