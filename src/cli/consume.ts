import {
  defaultIfEmpty,
  EMPTY,
  filter,
  fromEvent,
  interval,
  lastValueFrom,
  merge,
  take,
  takeUntil,
  tap,
  type Observable,
} from 'rxjs';
import { createConsumer, type ConsumerRecord, type TopicPartition } from '../consumer';
import { KafkaRxError } from '../errors';
import { defaultClock } from '../time';
import { adminClient } from './admin-client';
import { parseFlags, UsageError, type FlagSpec } from './args';
import { checkTopic } from './check-topic';
import { checkShareFlags, runShareConsume } from './consume-share';
import { connectionFlags, connectionOf } from './client-settings';
import { formatRecord } from './format-record';
import { isTerminal, type CommandIo } from './io';
import { kcatFormat, kcatJson } from './kcat-format';
import { partitionList } from './offsets';
import { progressLine } from './progress-line';
import { parseStartOffset, startOffsets } from './start-offsets';

/** What the consumer's close (commit, LeaveGroup) may take when the command ends. */
const CLOSE_TIMEOUT_MS = 1000;

/** The synopsis of `kafka-rx consume`, printed with usage errors and by `help`. */
export const consumeUsage = [
  'kafka-rx consume --brokers H:P[,H:P] --topic T [--group G] [--from-beginning] [--count N] [--json]',
  '                 [-o beginning|end|stored|N|-N|s@MS] [-e] [-p P[,P]] [-f FORMAT | -J | -K DELIM]',
  'kafka-rx consume --brokers H:P[,H:P] --topic T --share-group NAME [--count N] [output flags]',
  '',
  '  Joins consumer group G (default: a new group of its own, which reads every partition and',
  '  commits nothing) and prints one line per record: its value, or with --json',
  '  {"topic","partition","offset","timestamp","key","value","headers"}.',
  '  -b, --brokers      host[:port] list (port 9092 when left out)',
  '  -t, --topic        the topic',
  '  -G, --group        the consumer group (it commits, so the next run goes on from there)',
  '  --share-group NAME read as a member of share group NAME (KIP-932, Kafka 4.1+): records are',
  '                     shared with its other members, each accepted once printed',
  '  --group-protocol P classic (the default) or consumer (KIP-848, Kafka 4.0+)',
  '  --from-beginning   start at the earliest offset when the group has no committed offset',
  "  -o, --offset       where to start: beginning, end, stored (the group's offsets, the default),",
  '                     N, -N (N before the end) or s@MS (the first record at or after a time)',
  '  -e, --exit-at-end  stop once every partition read is at its end (as kcat -e)',
  '  -c, --count N      stop after N records (commit and leave the group)',
  '  -p, --partition    only these partitions (the others are paused)',
  "  -f, --format       kcat's format: %t topic, %p partition, %o offset, %k key, %s value,",
  '                     %h headers, %T timestamp, %S/%K sizes, \\n \\t; nothing else is added',
  '  -J                 kcat\'s JSON: {"topic","partition","offset","ts","headers","key","payload"}',
  '  -K, --key-delimiter  print key DELIM value',
  '  -X name=value      client settings (client.id, security.protocol, sasl.*, ssl.ca.location)',
  '  Records/s go to standard error while it is a terminal.',
].join('\n');

const flags: Readonly<Record<string, FlagSpec>> = {
  ...connectionFlags,
  topic: { kind: 'string', required: true, short: 't' },
  group: { kind: 'string', short: 'G' },
  'share-group': { kind: 'string' },
  'group-protocol': { kind: 'string' },
  'from-beginning': { kind: 'boolean' },
  offset: { kind: 'string', short: 'o' },
  'exit-at-end': { kind: 'boolean', short: 'e' },
  count: { kind: 'integer', short: 'c' },
  partition: { kind: 'string', short: 'p' },
  json: { kind: 'boolean' },
  'kcat-json': { kind: 'boolean', short: 'J' },
  format: { kind: 'string', short: 'f' },
  'key-delimiter': { kind: 'string', short: 'K' },
};

/** `--group-protocol`: how the group assigns partitions; a share group has its own. */
function groupProtocolOf(parsed: Record<string, unknown>): 'classic' | 'consumer' {
  const value = parsed['group-protocol'];
  if (value === undefined) return 'classic';
  if (parsed['share-group'] !== undefined)
    throw new UsageError(
      '--group-protocol: a share group has its own protocol; leave it out with --share-group',
    );
  if (value !== 'classic' && value !== 'consumer')
    throw new UsageError(`--group-protocol must be classic or consumer, not ${JSON.stringify(value)}`);
  return value;
}

/** A group id nobody else uses, so that one `consume` without `--group` gets every partition. */
function privateGroupId(): string {
  return `kafka-rx-console-${process.pid}-${Math.floor(Math.random() * 1e9).toString(36)}`;
}

/** How each record is printed, by the output flags (at most one of them). */
function printer(parsed: Record<string, unknown>): (record: ConsumerRecord) => string {
  const given = ['json', 'kcat-json', 'format', 'key-delimiter'].filter((n) => parsed[n] !== undefined);
  const shown: Record<string, string> = {
    json: '--json',
    'kcat-json': '-J',
    format: '-f',
    'key-delimiter': '-K',
  };
  if (given.length > 1)
    throw new UsageError(`give one of --json, -J, -f, -K, not ${given.map((n) => shown[n]).join(' and ')}`);
  if (parsed.json === true) return (r) => `${formatRecord(r, true)}\n`;
  if (parsed['kcat-json'] === true) return (r) => `${kcatJson(r)}\n`;
  if (typeof parsed.format === 'string') return kcatFormat(parsed.format);
  const delimiter = parsed['key-delimiter'];
  if (typeof delimiter === 'string')
    return (r) => `${r.key?.toString('utf8') ?? ''}${delimiter}${r.value?.toString('utf8') ?? ''}\n`;
  return (r) => `${formatRecord(r, false)}\n`;
}

/**
 * `kafka-rx consume`: checks that the brokers answer and know the topic, then joins a group and
 * prints one line per record. Ends after `--count N` records, at the end of the partitions with
 * `-e`, when `stop` fires (SIGINT/SIGTERM in `main`), or with the consumer's error; in every case
 * the consumer is closed (commit, LeaveGroup) before the promise settles.
 */
export async function runConsume(argv: readonly string[], io: CommandIo, stop?: AbortSignal): Promise<void> {
  const parsed = parseFlags(argv, flags);
  const connection = connectionOf(parsed, 'kafka-rx-consume');
  const count = parsed.count as number | undefined;
  if (count === 0) throw new UsageError('--count must be at least 1');
  const group = parsed.group as string | undefined;
  const topic = parsed.topic as string;
  const print = printer(parsed);
  if (parsed['share-group'] !== undefined) checkShareFlags(parsed);
  const groupProtocol = groupProtocolOf(parsed);
  const start = parseStartOffset((parsed.offset as string | undefined) ?? 'stored');
  const only =
    parsed.partition === undefined
      ? undefined
      : new Set(partitionList(parsed.partition as string, topic).map((tp) => tp.partition));

  if (stop?.aborted) return;
  const partitionCount = await checkTopic(connection, topic, stop);
  if (partitionCount === null) return;
  if (parsed['share-group'] !== undefined)
    return runShareConsume(parsed, connection, print, io, CLOSE_TIMEOUT_MS, stop);
  const wanted = [...Array(partitionCount).keys()].filter((p) => only === undefined || only.has(p));
  if (only !== undefined && wanted.length !== only.size)
    throw new UsageError(`--partition: topic "${topic}" has partitions 0 to ${partitionCount - 1}`);
  let starts: Map<number, bigint> | null = null;
  if (start !== 'stored') {
    const admin = adminClient(connection);
    try {
      starts = await startOffsets(admin, topic, wanted, start);
    } finally {
      await admin.close();
    }
  }

  const consumer = createConsumer({
    ...connection,
    groupId: group ?? privateGroupId(),
    topics: [topic],
    groupProtocol,
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
  // Chosen at assignment, before any fetch: the consumer's own start position then stays unused.
  const assigned = new Map<number, TopicPartition>();
  const sought = new Set<number>();
  consumer.rebalances$.subscribe(({ type, partitions }) => {
    for (const tp of partitions) {
      if (type !== 'assigned') {
        assigned.delete(tp.partition);
        continue;
      }
      if (only !== undefined && !only.has(tp.partition)) {
        consumer.pause([tp]);
        continue;
      }
      assigned.set(tp.partition, tp);
      const offset = starts?.get(tp.partition);
      if (offset !== undefined && !sought.has(tp.partition)) {
        sought.add(tp.partition);
        consumer.seek(tp, offset);
      }
    }
  });
  // At the end: every partition read has a Fetch answer that shows nothing more to deliver.
  const atEnd$: Observable<unknown> =
    parsed['exit-at-end'] === true
      ? consumer.lag$.pipe(
          filter((lags) => {
            const done = lags.filter((l) => assigned.has(l.partition) && l.lag <= 0n).length;
            return assigned.size > 0 && done === assigned.size;
          }),
        )
      : EMPTY;

  let received = 0;
  let lastCount = 0;
  const progress = isTerminal(io.stderr) ? progressLine(io.stderr, true) : undefined;
  const progressSubscription = progress
    ? interval(1000, defaultClock).subscribe(() => {
        progress.update(`${received} records, ${received - lastCount} records/s`);
        lastCount = received;
      })
    : undefined;

  let records$ = consumer.messages$.pipe(
    filter((record) => only === undefined || only.has(record.partition)),
    tap((record: ConsumerRecord) => {
      received++;
      io.stdout.write(print(record));
    }),
  );
  if (count !== undefined) records$ = records$.pipe(take(count));
  const ends = [atEnd$, ...(stop ? [fromEvent(stop, 'abort')] : [])];
  records$ = records$.pipe(takeUntil(merge(...ends)));
  try {
    await lastValueFrom(records$.pipe(defaultIfEmpty(undefined)));
  } finally {
    progressSubscription?.unsubscribe();
    progress?.end();
    await consumer.close();
  }
  if (closeTimeout !== undefined) throw new KafkaRxError('CloseTimeoutError', closeTimeout);
}
