import {
  filter,
  firstValueFrom,
  fromEvent,
  interval,
  map,
  mergeMap,
  race,
  Subject,
  Subscription,
  take,
  takeUntil,
  timer,
} from 'rxjs';
import { createConsumer, type Consumer } from '../consumer';
import { createProducer } from '../producer';
import { createFakeCluster } from '../testing';
import { now } from '../time';
import { parseFlags, UsageError, type FlagSpec } from './args';
import { DemoTally } from './demo-tally';
import type { CommandIo } from './io';
import { progressLine } from './progress-line';

/** The synopsis of `kafka-rx demo`. */
export const demoUsage = [
  'kafka-rx demo [--records N] [--seconds S] [--partitions P]',
  '',
  '  Starts a fake Kafka cluster on a free 127.0.0.1 port, produces N records (default 20000)',
  '  over S seconds (default 8) to a topic of P partitions (default 6) with the kafka-rx producer,',
  '  and consumes them with a group of two kafka-rx consumers over TCP. Midway one consumer',
  '  leaves the group and comes back, so both rebalances show. Ends with a summary; exits 1 if',
  '  any acknowledged record was never consumed.',
].join('\n');

const flags: Readonly<Record<string, FlagSpec>> = {
  records: { kind: 'integer' },
  seconds: { kind: 'integer' },
  partitions: { kind: 'integer' },
};

const TOPIC = 'demo-orders';
const GROUP = 'demo-group';
/** Production happens in steps of this many milliseconds. */
const PRODUCE_STEP_MS = 50;
/** Beyond the production time, how long the run may take to finish (then it stops and reports). */
const CATCH_UP_MS = 15000;

function positive(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (value < 1 || value > max) throw new UsageError(`--${name} must be between 1 and ${max}`);
  return value;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const plural = (n: number | bigint, word: string) => `${n} ${word}${n === 1 || n === 1n ? '' : 's'}`;

/**
 * `kafka-rx demo`: a producer and a two-member consumer group against the embedded fake cluster,
 * over real TCP, with a live progress line and a summary. Resolves to the exit code: 0 when every
 * acknowledged record was consumed (or the demo was stopped early), 1 when some were lost.
 */
export async function runDemo(argv: readonly string[], io: CommandIo, stop: AbortSignal): Promise<number> {
  const parsed = parseFlags(argv, flags);
  const total = positive('records', parsed.records as number | undefined, 20000, 10_000_000);
  const durationMs = positive('seconds', parsed.seconds as number | undefined, 8, 3600) * 1000;
  const partitions = positive('partitions', parsed.partitions as number | undefined, 6, 1000);
  const tty = (io.stdout as NodeJS.WriteStream).isTTY === true;
  const progress = progressLine(io.stdout, tty);

  const cluster = createFakeCluster({ topics: { [TOPIC]: partitions } });
  const { brokers } = await cluster.listen();
  const start = now();
  const elapsed = () => seconds(now() - start);
  const say = (text: string) => progress.note(`[${elapsed()}] ${text}`);
  io.stdout.write(
    `fake cluster on ${brokers.join(',')}: topic ${TOPIC} (${plural(partitions, 'partition')}), group ${GROUP}\n` +
      `producing ${plural(total, 'record')} over ${seconds(durationMs)}; consumer-2 leaves and rejoins midway\n`,
  );

  const tally = new DemoTally();
  const subscriptions = new Subscription();
  const failure$ = new Subject<unknown>();
  const producer = createProducer({ brokers, clientId: 'demo-producer' });
  const consumers = [1, 2].map((i) =>
    createConsumer({
      brokers,
      groupId: GROUP,
      topics: [TOPIC],
      clientId: `consumer-${i}`,
      fromBeginning: true,
      autoCommit: { intervalMs: 1000 },
      // Short enough that the remaining member notices a rebalance within half a second.
      heartbeatIntervalMs: 500,
      sessionTimeoutMs: 6000,
      fetch: { maxWaitMs: 100 },
    }),
  );

  // The coordinator's own count of rebalances of the group.
  subscriptions.add(
    cluster.groups.events$
      .pipe(filter((e) => e.type === 'rebalance-started' && e.groupId === GROUP))
      .subscribe(() => tally.rebalances++),
  );
  consumers.forEach((consumer, index) => {
    const name = `consumer-${index + 1}`;
    subscriptions.add(
      consumer.commits$.subscribe((c) => {
        tally.commits++;
        if (c.error !== undefined) {
          tally.failedCommits++;
          say(`${name}: ${c.trigger} commit failed: ${c.error.message}`);
        } else if (c.trigger !== 'auto') {
          say(`${name}: ${c.trigger} commit of ${plural(c.offsets.length, 'partition')}`);
        }
      }),
    );
    subscriptions.add(
      consumer.rebalances$.subscribe((r) => {
        const list = r.partitions.map((p) => p.partition).sort((a, b) => a - b);
        say(`${name}: ${r.type} ${list.length === 0 ? 'nothing' : `${TOPIC} [${list.join(',')}]`}`);
      }),
    );
  });

  const members = new Map<Consumer, Subscription>();
  const join = (consumer: Consumer) =>
    members.set(
      consumer,
      consumer.messages$.subscribe({ next: (r) => tally.record(r), error: (e: unknown) => failure$.next(e) }),
    );
  // Unsubscribing commits what was consumed and sends LeaveGroup.
  const leave = (consumer: Consumer) => {
    members.get(consumer)?.unsubscribe();
    members.delete(consumer);
  };
  consumers.forEach(join);

  // Production: the records spread evenly over the duration, a batch per step.
  const steps = Math.max(1, Math.floor(durationMs / PRODUCE_STEP_MS));
  const produced$ = new Subject<void>();
  const stopped$ = fromEvent(stop, 'abort').pipe(take(1));
  subscriptions.add(
    interval(PRODUCE_STEP_MS)
      .pipe(
        take(steps),
        map((step) => {
          const from = Math.floor((total * step) / steps);
          const to = Math.floor((total * (step + 1)) / steps);
          return Array.from({ length: to - from }, (_, i) => from + i);
        }),
        filter((ids) => ids.length > 0),
        mergeMap((ids) => {
          const values = ids.map((id) => `order-${id}`);
          const records = ids.map((id, i) => ({
            topic: TOPIC,
            key: `customer-${id % 97}`,
            value: values[i],
          }));
          return producer.send(records).pipe(map(() => values));
        }, 8),
        takeUntil(stopped$),
      )
      .subscribe({
        next: (values) => tally.acked(values),
        error: (e: unknown) => failure$.next(e),
        complete: () => produced$.next(),
      }),
  );

  // Midway, consumer-2 leaves the group and, a little later, comes back.
  const [, second] = consumers;
  subscriptions.add(
    timer(durationMs * 0.35).subscribe(() => {
      say('consumer-2 leaves the group');
      leave(second);
    }),
  );
  subscriptions.add(
    timer(durationMs * 0.65).subscribe(() => {
      say('consumer-2 joins again');
      join(second);
    }),
  );

  // The live status line.
  let last = { at: start, consumed: 0 };
  const status = () => {
    const at = now();
    const rate = at > last.at ? ((tally.consumed - last.consumed) * 1000) / (at - last.at) : 0;
    last = { at, consumed: tally.consumed };
    return (
      `[${elapsed()}] produced ${tally.produced}  consumed ${tally.consumed} (${Math.round(rate)} rec/s)  ` +
      `lag ${lag()}  commits ${tally.commits}  rebalances ${tally.rebalances}  members ${members.size}`
    );
  };
  const lag = () =>
    tally.lag(
      Array.from({ length: partitions }, (_, partition) => ({
        partition,
        highWatermark: cluster.offsets(TOPIC, partition).highWatermark,
      })),
    );
  subscriptions.add(interval(tty ? 200 : 1000).subscribe(() => progress.update(status())));

  // Done when everything produced has been consumed, or at the catch-up deadline.
  const caughtUp$ = produced$.pipe(
    mergeMap(() => interval(100)),
    filter(() => members.size > 0 && tally.missing === 0 && lag() === 0n),
  );
  // A bound on the whole run, so that a producer or group that stops making progress cannot hang it.
  const deadline$ = timer(durationMs + CATCH_UP_MS);
  const failed$ = failure$.pipe(
    map((e) => {
      throw e;
    }),
  );
  let ending: 'done' | 'deadline' | 'stopped' = 'done';
  try {
    ending = await firstValueFrom(
      race(
        caughtUp$.pipe(map(() => 'done' as const)),
        deadline$.pipe(map(() => 'deadline' as const)),
        stopped$.pipe(map(() => 'stopped' as const)),
        failed$,
      ),
    );
  } finally {
    progress.update(status());
    progress.end();
    for (const consumer of [...members.keys()]) leave(consumer);
    await Promise.all(consumers.map((c) => c.close()));
    await producer.close();
    subscriptions.unsubscribe();
  }
  const elapsedMs = now() - start;

  // What the group committed, read from the coordinator: every partition should be at its log end.
  const committed = new Map(cluster.committedOffsets(GROUP).map((c) => [c.partition, c.offset]));
  const behind: string[] = [];
  for (let p = 0; p < partitions; p++) {
    const highWatermark = cluster.offsets(TOPIC, p).highWatermark;
    const offset = committed.get(p);
    if (offset !== highWatermark) behind.push(`${p}: committed ${offset ?? 'nothing'} of ${highWatermark}`);
  }
  await cluster.close();

  const missing = tally.missing;
  const lost = ending === 'stopped' ? 0 : missing;
  const unacknowledged = ending === 'stopped' ? 0 : total - tally.produced;
  io.stdout.write(
    [
      ending === 'stopped' ? 'stopped early; summary so far:' : 'summary:',
      `  produced    ${plural(tally.produced, 'record')} acknowledged${tally.produced < total ? ` of ${total}` : ''}`,
      `  consumed    ${plural(tally.consumed, 'record')}: ${tally.unique} distinct, ${plural(tally.duplicates, 'duplicate')}`,
      `  lost        ${lost}${ending === 'stopped' ? ` (${missing} not consumed yet)` : ''}`,
      `  commits     ${tally.commits} (${tally.failedCommits} failed); ${partitions - behind.length}/${partitions} partitions committed at their log end` +
        (behind.length === 0 ? '' : ` (behind: ${behind.join('; ')})`),
      `  rebalances  ${tally.rebalances}`,
      `  time        ${seconds(elapsedMs)} (${Math.round((tally.consumed * 1000) / Math.max(1, elapsedMs))} records/s consumed)`,
    ].join('\n') + '\n',
  );
  if (lost > 0) {
    io.stderr.write(`kafka-rx: LostRecordsError: ${plural(lost, 'acknowledged record')} never consumed\n`);
    return 1;
  }
  if (unacknowledged > 0) {
    io.stderr.write(
      `kafka-rx: DeliveryTimeoutError: the producer had ${plural(unacknowledged, 'record')} unacknowledged at the deadline\n`,
    );
    return 1;
  }
  return 0;
}
