import { createInterface } from 'node:readline';
import {
  createProducer,
  type CompressionCodec,
  type Producer,
  type ProducerConfig,
  type ProducerRecord,
} from '../producer';
import { parseBrokers, parseFlags, UsageError, type FlagSpec } from './args';
import { checkTopic } from './check-topic';
import { errorLine } from './error-line';
import type { CommandIo } from './io';

export const PRODUCE_USAGE = `usage: kafka-rx produce --brokers HOST:PORT[,HOST:PORT...] --topic TOPIC
                        [--key-separator S] [--compression gzip|snappy|lz4|zstd]

Reads standard input and produces one record per line. With --key-separator, the text before
the first S on a line is the key and the rest the value (a line without S has no key).`;

const FLAGS: Readonly<Record<string, FlagSpec>> = {
  brokers: { kind: 'string', required: true },
  topic: { kind: 'string', required: true },
  'key-separator': { kind: 'string' },
  compression: { kind: 'string', choices: ['none', 'gzip', 'snappy', 'lz4', 'zstd'] },
};

/**
 * Before any line is read: the brokers answer and know the topic. The producer itself would wait
 * maxBlockMs and then deliveryTimeoutMs (minutes) before saying either. Resolves false when
 * `stop` fired first; throws a `UsageError` for bad flags and the cluster's error otherwise.
 */
export async function checkProduceTarget(argv: readonly string[], stop?: AbortSignal): Promise<boolean> {
  const flags = parseFlags(argv, FLAGS);
  return (await checkTopic(parseBrokers(flags.brokers as string), flags.topic as string, stop)) !== null;
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
  let topic: string;
  let separator: string | undefined;
  let config: ProducerConfig;
  try {
    const flags = parseFlags(argv, FLAGS);
    topic = flags.topic as string;
    separator = flags['key-separator'] as string | undefined;
    config = {
      brokers: parseBrokers(flags.brokers as string),
      clientId: 'kafka-rx-produce',
      compression: (flags.compression as CompressionCodec | undefined) ?? 'none',
      maxBlockMs: MAX_BLOCK_MS,
    };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`${errorLine(error)}\n${PRODUCE_USAGE}\n`);
    return 2;
  }

  const producer = createProducerFn(config);
  let failure: unknown;
  let sent = 0;
  let pending = 0;
  const toRecord = (line: string): ProducerRecord => {
    const at = separator === undefined ? -1 : line.indexOf(separator);
    return at < 0
      ? { topic, value: line }
      : { topic, key: line.slice(0, at), value: line.slice(at + separator!.length) };
  };
  try {
    const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      if (failure !== undefined) break;
      pending++;
      sent++;
      producer.send(toRecord(line)).subscribe({
        next: () => pending--,
        error: (error: unknown) => {
          pending--;
          failure ??= error;
        },
      });
      if (pending >= MAX_PENDING) await producer.flush();
    }
    await producer.flush();
  } finally {
    await producer.close();
  }
  if (failure !== undefined) {
    io.stderr.write(`${errorLine(failure)}\n`);
    return 1;
  }
  io.stderr.write(`produced ${sent} record${sent === 1 ? '' : 's'} to ${topic}\n`);
  return 0;
}
