/**
 * What every producer runner of bench/produce.ts shares: its arguments and the one JSON line it
 * prints. A runner is a child process of its own so that its CPU time and peak RSS belong to one
 * client. It sends `--records` records (keys `k<i>`, values of `--value-bytes` bytes 'v') to
 * `--topic`, waits for every acknowledgement, and prints
 * `{records, startedAt, firstSendAt, lastAckAt, maxRssKb, cpuSeconds}` (times in epoch
 * milliseconds) or `{error}` on stdout.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { CODECS, type Codec } from '../runner/codec';
import { fail, processUsage, succeed, type ProcessUsage } from '../runner/output';

export { CODECS, type Codec } from '../runner/codec';
export { fail, message, TIMED, timedUsage, wallClockMs } from '../runner/output';

export interface ProduceArgs {
  readonly bootstrap: string;
  readonly brokers: string[];
  readonly topic: string;
  readonly records: number;
  readonly valueBytes: number;
  readonly compression: Codec;
  /** kafka-rx's `batchBytes`, when given (`--batch-bytes`); otherwise its default. */
  readonly batchBytes: number | undefined;
}

export interface ProduceResult extends ProcessUsage {
  readonly records: number;
  readonly startedAt: number;
  readonly firstSendAt: number;
  readonly lastAckAt: number;
}

export function produceArgs(): ProduceArgs {
  const { values } = parseArgs({
    options: {
      bootstrap: { type: 'string' },
      topic: { type: 'string' },
      records: { type: 'string' },
      'value-bytes': { type: 'string' },
      compression: { type: 'string', default: 'none' },
      'batch-bytes': { type: 'string' },
    },
  });
  const records = Number(values.records);
  const valueBytes = Number(values['value-bytes']);
  const compression = CODECS.find((c) => c === values.compression);
  if (!values.bootstrap || !values.topic || !compression || !(records > 0) || !(valueBytes > 0)) {
    fail('usage: --bootstrap H:P[,H:P] --topic T --records N --value-bytes B [--compression C]');
  }
  const batchBytes = values['batch-bytes'] === undefined ? undefined : Number(values['batch-bytes']);
  if (batchBytes !== undefined && !(Number.isInteger(batchBytes) && batchBytes > 0))
    fail(`--batch-bytes must be a positive integer, not ${values['batch-bytes']}`);
  return {
    bootstrap: values.bootstrap,
    brokers: values.bootstrap.split(','),
    topic: values.topic,
    records,
    valueBytes,
    compression,
    batchBytes,
  };
}

/** kafka-rx's producer settings for a run: the codec and `--batch-bytes`; every other its default. */
export function kafkaRxSettings(args: ProduceArgs): {
  brokers: string[];
  compression: Codec;
  batchBytes?: number;
} {
  return {
    brokers: args.brokers,
    compression: args.compression,
    ...(args.batchBytes === undefined ? {} : { batchBytes: args.batchBytes }),
  };
}

/** The keys, `k0`..`k<n-1>`, made before the clock starts. */
export function keys(records: number): string[] {
  return Array.from({ length: records }, (_, i) => `k${i}`);
}

/** Prints the result with this process's peak RSS and CPU time (or those given) and exits. */
export function finish(records: number, firstSendAt: number, lastAckAt: number, own?: ProcessUsage): never {
  const result: ProduceResult = {
    records,
    startedAt: performance.timeOrigin,
    firstSendAt,
    lastAckAt,
    ...(own ?? processUsage()),
  };
  succeed(result);
}
