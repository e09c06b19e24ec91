import { defaultIfEmpty, fromEvent, lastValueFrom, take, takeUntil, tap } from 'rxjs';
import { createConsumer, type ConsumerRecord } from '../consumer';
import { parseBrokers, parseFlags, UsageError, type FlagSpec } from './args';
import { formatRecord } from './format-record';
import type { CommandIo } from './io';
import { checkTopic } from './check-topic';
import { KafkaRxError } from '../errors';

/** What the consumer's close (commit, LeaveGroup) may take when the command ends. */
const CLOSE_TIMEOUT_MS = 1000;

/** The synopsis of `kafka-rx consume`, printed with usage errors and by `help`. */
export const consumeUsage = [
  'kafka-rx consume --brokers H:P[,H:P] --topic T [--group G] [--from-beginning] [--count N] [--json]',
  '',
  '  Joins consumer group G (default: a new group of its own, which reads every partition and',
  '  commits nothing) and prints one line per record: its value, or with --json',
  '  {"topic","partition","offset","timestamp","key","value","headers"}.',
  '  --from-beginning  start at the earliest offset when the group has no committed offset',
  '  --count N         stop after N records (commit and leave the group)',
].join('\n');

const flags: Readonly<Record<string, FlagSpec>> = {
  brokers: { kind: 'string', required: true },
  topic: { kind: 'string', required: true },
  group: { kind: 'string' },
  'from-beginning': { kind: 'boolean' },
  count: { kind: 'integer' },
  json: { kind: 'boolean' },
};

/** A group id nobody else uses, so that one `consume` without `--group` gets every partition. */
function privateGroupId(): string {
  return `kafka-rx-console-${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`;
}

/**
 * `kafka-rx consume`: checks that the brokers answer and know the topic, then joins a group and
 * prints one line per record. Ends after `--count N`
 * records, when `stop` fires (SIGINT/SIGTERM in `main`), or with the consumer's error; in every
 * case the consumer is closed (commit, LeaveGroup) before the promise settles.
 */
export async function runConsume(argv: readonly string[], io: CommandIo, stop?: AbortSignal): Promise<void> {
  const parsed = parseFlags(argv, flags);
  const brokers = parseBrokers(parsed.brokers as string);
  const count = parsed.count as number | undefined;
  if (count === 0) throw new UsageError('--count must be at least 1');
  const group = parsed.group as string | undefined;
  const json = parsed.json === true;
  const topic = parsed.topic as string;

  if (stop?.aborted || (await checkTopic(brokers, topic, stop)) === null) return;
  const consumer = createConsumer({
    brokers,
    groupId: group ?? privateGroupId(),
    topics: [topic],
    fromBeginning: parsed['from-beginning'] === true,
    // A private group is thrown away on exit: committing its offsets would only leave litter.
    autoCommit: group === undefined ? false : { intervalMs: 5000 },
    // Ctrl-C must end the command within a second or two, even with the brokers gone.
    closeTimeoutMs: CLOSE_TIMEOUT_MS,
  });
  let closeTimeout: string | undefined;
  consumer.events$.subscribe((e) => {
    if (e.type === 'close-timeout') closeTimeout = e.reason;
  });

  let records$ = consumer.messages$.pipe(
    tap((record: ConsumerRecord) => io.stdout.write(formatRecord(record, json) + '\n')),
  );
  if (count !== undefined) records$ = records$.pipe(take(count));
  if (stop) records$ = records$.pipe(takeUntil(fromEvent(stop, 'abort')));
  try {
    await lastValueFrom(records$.pipe(defaultIfEmpty(undefined)));
  } finally {
    await consumer.close();
  }
  if (closeTimeout !== undefined) throw new KafkaRxError('CloseTimeoutError', closeTimeout);
}
