import { firstValueFrom, take, toArray } from 'rxjs';
import {
  createConsumer,
  type CommitResult,
  type ConsumerConfig,
  type ConsumerRecord,
} from '../../src/consumer';

/** What one consumer read before it closed, and every commit it completed (the closing one last). */
export interface ReadAndClosed {
  readonly records: ConsumerRecord[];
  readonly commits: CommitResult[];
}

/**
 * Joins `groupId` with a fresh consumer reading `topics` from the beginning, takes `count`
 * records, and closes (which commits them). Short session, heartbeat and fetch waits keep a
 * test of a group of one quick.
 */
export async function readAndClose(
  config: Pick<ConsumerConfig, 'brokers' | 'groupId' | 'topics'>,
  count: number,
): Promise<ReadAndClosed> {
  const consumer = createConsumer({
    ...config,
    fromBeginning: true,
    sessionTimeoutMs: 10000,
    heartbeatIntervalMs: 1000,
    fetch: { maxWaitMs: 100 },
  });
  const commits: CommitResult[] = [];
  consumer.commits$.subscribe((c) => commits.push(c));
  const records = await firstValueFrom(consumer.messages$.pipe(take(count), toArray()));
  await consumer.close();
  return { records, commits };
}
