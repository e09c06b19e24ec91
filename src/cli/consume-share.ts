import { defaultIfEmpty, fromEvent, lastValueFrom, take, takeUntil, tap, type Observable } from 'rxjs';
import { createShareConsumer, type ConsumerRecord } from '../consumer';
import { KafkaRxError } from '../errors';
import type { ClientConnectionOptions } from '../transport';
import { UsageError } from './args';
import type { CommandIo } from './io';

/** Flags of `consume` that choose partitions or offsets, which a share group decides itself. */
const offsetFlags: Readonly<Record<string, string>> = {
  group: '--group',
  offset: '-o',
  'from-beginning': '--from-beginning',
  partition: '-p',
  'exit-at-end': '-e',
};

/** Refuses, before anything is sent, the flags a share group decides itself. */
export function checkShareFlags(parsed: Record<string, unknown>): void {
  const clash = Object.keys(offsetFlags).filter((f) => parsed[f] !== undefined);
  if (clash.length > 0)
    throw new UsageError(
      `--share-group: the share group chooses partitions and offsets; leave out ${clash.map((f) => offsetFlags[f]).join(', ')}`,
    );
}

/**
 * `kafka-rx consume --share-group NAME`: joins share group NAME and prints each record it
 * acquires; a record counts as processed (accepted) once printed. The share group chooses the
 * partitions and where to start (its `share.auto.offset.reset`), so the flags that do are refused.
 */
export async function runShareConsume(
  parsed: Record<string, unknown>,
  connection: ClientConnectionOptions & { brokers: string[]; clientId?: string },
  print: (record: ConsumerRecord) => string,
  io: CommandIo,
  closeTimeoutMs: number,
  stop?: AbortSignal,
): Promise<void> {
  checkShareFlags(parsed);
  const consumer = createShareConsumer({
    ...connection,
    groupId: parsed['share-group'] as string,
    topics: [parsed.topic as string],
    acknowledgementMode: 'implicit',
    closeTimeoutMs,
  });
  let closeTimeout: string | undefined;
  let failure: KafkaRxError | undefined;
  consumer.events$.subscribe((e) => {
    if (e.type === 'close-timeout') closeTimeout = e.reason;
  });
  const count = parsed.count as number | undefined;
  let records$: Observable<ConsumerRecord> = consumer.records$.pipe(tap((r) => io.stdout.write(print(r))));
  if (count !== undefined) records$ = records$.pipe(take(count));
  if (stop) records$ = records$.pipe(takeUntil(fromEvent(stop, 'abort')));
  try {
    await lastValueFrom(records$.pipe(defaultIfEmpty(undefined)));
  } catch (error) {
    failure = error as KafkaRxError;
  } finally {
    await consumer.close();
  }
  if (failure) throw failure;
  if (closeTimeout !== undefined) throw new KafkaRxError('CloseTimeoutError', closeTimeout);
}
