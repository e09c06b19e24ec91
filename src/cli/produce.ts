import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { interval } from 'rxjs';
import {
  createProducer,
  type CompressionCodec,
  type Producer,
  type ProducerConfig,
  type ProducerRecord,
} from '../producer';
import { defaultClock } from '../time';
import { parseFlags, UsageError, type FlagSpec } from './args';
import { checkTopic } from './check-topic';
import { connectionFlags, connectionOf, type Connection } from './client-settings';
import { errorLine } from './error-line';
import { isTerminal, type CommandIo } from './io';
import { progressLine } from './progress-line';

export const PRODUCE_USAGE = `usage: kafka-rx produce --brokers HOST[:PORT][,HOST[:PORT]...] --topic TOPIC
                        [--key-separator S] [--compression gzip|snappy|lz4|zstd]
                        [-p PARTITION] [-H name=value ...] [-l] [FILE ...]

Reads standard input and produces one record per line. With --key-separator (-K), the text before
the first S on a line is the key and the rest the value (a line without S has no key).
  -b, -t            --brokers (port 9092 when left out), --topic
  -z                --compression
  -p PARTITION      every record to this partition (default: by key, as the Java client)
  -H name=value     a header on every record (repeat for more)
  FILE ...          each file is one record (as kcat -P); with -l, one record per line of the file
  -X name=value     client settings (client.id, security.protocol, sasl.*, ssl.ca.location)
Records/s go to standard error while it is a terminal.`;

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  ...connectionFlags,
  topic: { kind: 'string', required: true, short: 't' },
  'key-separator': { kind: 'string', short: 'K' },
  compression: { kind: 'string', choices: ['none', 'gzip', 'snappy', 'lz4', 'zstd'], short: 'z' },
  partition: { kind: 'integer', short: 'p' },
  header: { kind: 'string', short: 'H', repeated: true },
  lines: { kind: 'boolean', short: 'l' },
};

/** What the flags and file arguments of `produce` say. */
interface ProduceOptions {
  readonly connection: Connection;
  readonly topic: string;
  readonly separator: string | undefined;
  readonly partition: number | undefined;
  readonly headers: Array<[string, string]>;
  readonly compression: CompressionCodec;
  readonly files: string[];
  readonly lines: boolean;
}

function produceOptions(argv: readonly string[]): ProduceOptions {
  const files: string[] = [];
  const flags = parseFlags(argv, FLAGS, files);
  const lines = flags.lines === true;
  if (lines && files.length !== 1) throw new UsageError('-l reads the lines of one FILE');
  const headers = ((flags.header as string[] | undefined) ?? []).map((h): [string, string] => {
    const eq = h.indexOf('=');
    if (eq <= 0) throw new UsageError(`--header: "${h}" is not name=value`);
    return [h.slice(0, eq), h.slice(eq + 1)];
  });
  return {
    connection: connectionOf(flags, 'kafka-rx-produce'),
    topic: flags.topic as string,
    separator: flags['key-separator'] as string | undefined,
    partition: flags.partition as number | undefined,
    headers,
    compression: (flags.compression as CompressionCodec | undefined) ?? 'none',
    files,
    lines,
  };
}

/**
 * Before any line is read: the brokers answer and know the topic (and the partition, with -p).
 * The producer itself would wait maxBlockMs and then deliveryTimeoutMs (minutes) before saying
 * either. Resolves false when `stop` fired first; throws a `UsageError` for bad flags and the
 * cluster's error otherwise.
 */
export async function checkProduceTarget(argv: readonly string[], stop?: AbortSignal): Promise<boolean> {
  const options = produceOptions(argv);
  const partitions = await checkTopic(options.connection, options.topic, stop);
  if (partitions === null) return false;
  if (options.partition !== undefined && options.partition >= partitions)
    throw new UsageError(`--partition: topic "${options.topic}" has partitions 0 to ${partitions - 1}`);
  return true;
}

/** Records are sent as lines arrive; past this many unacknowledged, reading waits for a flush. */
const MAX_PENDING = 10000;

/** A command run by hand should say soon that the cluster cannot be reached (the library waits 60 s). */
const MAX_BLOCK_MS = 5000;

/**
 * `kafka-rx produce`: one record per line of standard input. Resolves to the exit code: 0 when
 * every record was acknowledged, 1 when one failed, 2 for a bad command line.
 *
 * @param createProducerFn how to make the producer (tests pass one with another transport).
 */
export async function runProduce(
  argv: readonly string[],
  io: CommandIo,
  createProducerFn: (config: ProducerConfig) => Producer = createProducer,
): Promise<number> {
  let options: ProduceOptions;
  try {
    options = produceOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`${errorLine(error)}\n${PRODUCE_USAGE}\n`);
    return 2;
  }
  const { topic, separator, partition, headers, files } = options;
  const producer = createProducerFn({
    ...options.connection,
    compression: options.compression,
    maxBlockMs: MAX_BLOCK_MS,
  });
  let failure: unknown;
  let sent = 0;
  let pending = 0;
  const record = (key: string | Buffer | null, value: string | Buffer): ProducerRecord => ({
    topic,
    key,
    value,
    ...(partition !== undefined ? { partition } : {}),
    ...(headers.length > 0 ? { headers } : {}),
  });
  const toRecord = (line: string): ProducerRecord => {
    const at = separator === undefined ? -1 : line.indexOf(separator);
    return at < 0 ? record(null, line) : record(line.slice(0, at), line.slice(at + separator!.length));
  };
  const progress = isTerminal(io.stderr) ? progressLine(io.stderr, true) : undefined;
  let lastCount = 0;
  const progressSubscription = progress
    ? interval(1000, defaultClock).subscribe(() => {
        progress.update(`${sent} records, ${sent - lastCount} records/s`);
        lastCount = sent;
      })
    : undefined;
  const send = async (r: ProducerRecord) => {
    pending++;
    sent++;
    producer.send(r).subscribe({
      next: () => pending--,
      error: (error: unknown) => {
        pending--;
        failure ??= error;
      },
    });
    if (pending >= MAX_PENDING) await producer.flush();
  };
  try {
    if (files.length > 0 && !options.lines) {
      for (const file of files) {
        if (failure !== undefined) break;
        await send(record(null, await readFile(file)));
      }
    } else {
      const input = options.lines ? createReadStream(files[0]) : io.stdin;
      const lines = createInterface({ input, crlfDelay: Infinity });
      for await (const line of lines) {
        if (failure !== undefined) break;
        await send(toRecord(line));
      }
    }
    await producer.flush();
  } finally {
    progressSubscription?.unsubscribe();
    progress?.end();
    await producer.close();
  }
  if (failure !== undefined) {
    io.stderr.write(`${errorLine(failure)}\n`);
    return 1;
  }
  io.stderr.write(`produced ${sent} record${sent === 1 ? '' : 's'} to ${topic}\n`);
  return 0;
}
