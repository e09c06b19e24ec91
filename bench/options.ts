/**
 * The command line of bench/consume.ts, bench/produce.ts and bench/latency.ts: the options they
 * share (`--broker --value-bytes --partitions --brokers --runs --clients --markdown
 * --node-options`), parsed and checked in one place, beside each benchmark's own.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { brokerKind, type BrokerKind } from './broker-target';
import { pickClients, type Benchmark, type Client } from './clients';
import { CODECS, type Codec } from './runner/codec';

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface CommonOptions {
  broker: BrokerKind;
  valueBytes: number;
  partitions: number;
  /** How many brokers the mock cluster has (Kafka is one node). */
  brokers: number;
  runs: number;
  clients: Client[];
  markdown: string | undefined;
  /** Extra node flags for every Node runner (profiling: `--cpu-prof --cpu-prof-dir=...`). */
  nodeOptions: string[];
}

/** The benchmark's defaults where they differ. */
export interface Defaults {
  readonly partitions: number;
  readonly runs: number;
}

/** Parses `args` into the common options and the benchmark's own values (as `parseArgs` gives them). */
export function benchOptions(
  benchmark: Benchmark,
  defaults: Defaults,
  own: OptionsConfig,
  args: string[] = process.argv.slice(2),
): { common: CommonOptions; values: Record<string, string | boolean | undefined> } {
  const { values } = parseArgs({
    args,
    options: {
      broker: { type: 'string', default: 'kafka' },
      'value-bytes': { type: 'string', default: '100' },
      partitions: { type: 'string', default: String(defaults.partitions) },
      brokers: { type: 'string', default: '3' },
      runs: { type: 'string', default: String(defaults.runs) },
      clients: { type: 'string' },
      markdown: { type: 'string' },
      'node-options': { type: 'string', default: '' },
      ...own,
    },
  });
  const text = (name: string) => stringOption(values, name);
  const broker = brokerKind(text('broker'));
  return {
    common: {
      broker,
      valueBytes: positiveInteger('value-bytes', text('value-bytes')),
      partitions: positiveInteger('partitions', text('partitions')),
      brokers: positiveInteger('brokers', text('brokers')),
      runs: positiveInteger('runs', text('runs')),
      clients: pickClients(benchmark, broker, text('clients')),
      markdown: text('markdown'),
      nodeOptions: (text('node-options') ?? '').split(' ').filter((flag) => flag !== ''),
    },
    values: Object.fromEntries(
      Object.entries(values).map(([name, value]) => [name, Array.isArray(value) ? undefined : value]),
    ),
  };
}

function stringOption(values: Record<string, unknown>, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function positiveInteger(name: string, text: string | boolean | undefined): number {
  const n = Number(text);
  if (typeof text !== 'string' || !Number.isInteger(n) || n <= 0)
    throw new Error(`--${name} must be a positive integer, got ${text}`);
  return n;
}

/** A number above zero (or zero, when `zero`): rates and seconds. */
export function positiveNumber(name: string, text: string | boolean | undefined, zero = false): number {
  const n = Number(text);
  if (typeof text !== 'string' || !Number.isFinite(n) || n < 0 || (!zero && n === 0))
    throw new Error(`--${name} must be a positive number, got ${text}`);
  return n;
}

export function codecOption(text: string | boolean | undefined): Codec {
  const codec = CODECS.find((c) => c === text);
  if (!codec) throw new Error(`--compression must be one of ${CODECS.join(', ')}`);
  return codec;
}

/** `--records`, `--compression` and `--timeout-s`: what the throughput benchmarks (consume, produce) add. */
export function throughputConfig(defaultRecords: number): OptionsConfig {
  return {
    records: { type: 'string', default: String(defaultRecords) },
    compression: { type: 'string', default: 'none' },
    'timeout-s': { type: 'string' },
  };
}

/**
 * The records, their codec and a client run's time limit in ms (`--timeout-s`, or
 * `defaultSeconds(records)`), from the values of `throughputConfig`.
 */
export function throughput(
  values: Record<string, string | boolean | undefined>,
  defaultSeconds: (records: number) => number,
): { records: number; compression: Codec; timeoutMs: number } {
  const records = positiveInteger('records', values.records);
  return {
    records,
    compression: codecOption(values.compression),
    timeoutMs: timeoutMs(values['timeout-s'], defaultSeconds(records)),
  };
}

/** `--timeout-s` in ms, or `defaultSeconds` without it. */
function timeoutMs(text: string | boolean | undefined, defaultSeconds: number): number {
  return 1000 * (text === undefined ? defaultSeconds : positiveInteger('timeout-s', text));
}
