import { runKafkaToolOk } from './kafka-tool';

/** Kafka's ConsoleConsumer and ConsoleProducer as outside clients. */

export type Codec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export interface ConsoleRecord {
  partition: number;
  offset: number;
  /** `NO_HEADERS` is given as []; the formatter prints null keys and values as `null`. */
  headers: [string, string][];
  key: string;
  value: string;
}

export interface ConsoleConsumeOptions {
  bootstrap: string;
  /** One topic, or a Java regex of topics (`--include`). */
  topic?: string;
  include?: string;
  /**
   * Stop after this many records; otherwise at `idleMs` without a new record, which every run then
   * waits out on top of the JVM's start (about 4 s): give it when the count is known.
   */
  maxMessages?: number;
  /**
   * Exit after this long without a record. Default 6000 ms: the first poll includes the group join,
   * which took over 3 s on a loaded machine (and the run came back empty).
   */
  idleMs?: number;
  isolationLevel?: 'read_committed' | 'read_uncommitted';
  group?: string;
  /** Client settings (`--command-property k=v`). */
  properties?: Record<string, string>;
  timeoutMs?: number;
}

const SEP = '\t';

/**
 * Reads from the beginning with ConsoleConsumer, one line per record:
 * `Partition:<p> Offset:<o> <headers> <key> <value>`, separated by tabs. Keys and values must
 * not contain tabs or newlines.
 */
export async function consoleConsume(options: ConsoleConsumeOptions): Promise<ConsoleRecord[]> {
  const args = ['--bootstrap-server', options.bootstrap, '--from-beginning'];
  if (options.topic) args.push('--topic', options.topic);
  if (options.include) args.push('--include', options.include);
  if (options.maxMessages !== undefined) args.push('--max-messages', String(options.maxMessages));
  args.push('--timeout-ms', String(options.idleMs ?? 6000));
  if (options.isolationLevel) args.push('--isolation-level', options.isolationLevel);
  if (options.group) args.push('--group', options.group);
  for (const [k, v] of Object.entries(options.properties ?? {})) args.push('--command-property', `${k}=${v}`);
  for (const p of ['print.partition', 'print.offset', 'print.headers', 'print.key', 'print.value']) {
    args.push('--formatter-property', `${p}=true`);
  }
  args.push('--formatter-property', `key.separator=${SEP}`);
  const run = await runKafkaToolOk('org.apache.kafka.tools.consumer.ConsoleConsumer', args, {
    timeoutMs: options.timeoutMs ?? 60000,
  });
  return run.stdout
    .split('\n')
    .filter((line) => line.startsWith('Partition:'))
    .map((line) => {
      const [partition, offset, headers, key, value] = line.split(SEP);
      return {
        partition: Number(partition.slice('Partition:'.length)),
        offset: Number(offset.slice('Offset:'.length)),
        headers:
          headers === 'NO_HEADERS'
            ? []
            : headers.split(',').map((h) => {
                const at = h.indexOf(':');
                return [h.slice(0, at), h.slice(at + 1)] as [string, string];
              }),
        key,
        value,
      };
    });
}

export interface ConsoleProduceOptions {
  bootstrap: string;
  topic: string;
  /** Headers, when given, travel as `name:value,...` before the key (parse.headers). */
  records: { key: string; value: string; headers?: [string, string][] }[];
  codec?: Codec;
  /** Producer settings (`--command-property k=v`). */
  properties?: Record<string, string>;
  timeoutMs?: number;
}

/** Writes `[headers<TAB>]key<TAB>value` lines with ConsoleProducer (acks=all); resolves once it flushed and exited. */
export async function consoleProduce(options: ConsoleProduceOptions): Promise<void> {
  const withHeaders = options.records.some((r) => r.headers);
  for (const r of options.records) {
    const text = r.key + r.value + (r.headers ?? []).flat().join('');
    if (/[\t\n]/.test(text) || (r.headers ?? []).flat().some((h) => /[:,]/.test(h))) {
      throw new Error('keys, values and headers must not contain tab or newline (nor headers `:` or `,`)');
    }
  }
  const args = ['--bootstrap-server', options.bootstrap, '--topic', options.topic];
  args.push('--reader-property', 'parse.key=true', '--request-required-acks', 'all');
  if (withHeaders) args.push('--reader-property', 'parse.headers=true');
  if (options.codec && options.codec !== 'none') args.push('--compression-codec', options.codec);
  for (const [k, v] of Object.entries(options.properties ?? {})) args.push('--command-property', `${k}=${v}`);
  await runKafkaToolOk('org.apache.kafka.tools.ConsoleProducer', args, {
    input: options.records
      .map((r) => {
        const headers = withHeaders ? `${(r.headers ?? []).map(([k, v]) => `${k}:${v}`).join(',')}\t` : '';
        return `${headers}${r.key}\t${r.value}\n`;
      })
      .join(''),
    timeoutMs: options.timeoutMs ?? 60000,
  });
}
