/**
 * The table of bench/consume.ts and bench/produce.ts: per client, its time, records/s, MB/s, CPU
 * seconds and peak RSS, then kafka-rx's records/s, CPU and RSS each divided by the client's.
 */
import type { ProcessUsage } from './runner/output';
import { failedRow, markdownTable, ratio } from './report';

export interface Throughput extends ProcessUsage {
  readonly seconds: number;
  readonly records: number;
  /** Key and value bytes. */
  readonly bytes: number;
}

export interface ThroughputRow {
  readonly name: string;
  /** kafka-rx's own row, the one every ratio divides. */
  readonly self: boolean;
  readonly result: Throughput | null;
  readonly error: string | null;
  /** Cells after peak RSS, under `extra` columns. */
  readonly extra?: readonly string[];
}

export function throughputTable(rows: readonly ThroughputRow[], extra: readonly string[] = []): string {
  const rate = (t: Throughput) => t.records / t.seconds;
  const ours = rows.find((row) => row.self)?.result ?? undefined;
  const header = [
    'client',
    'time (s)',
    'records/s',
    'MB/s',
    'CPU (s)',
    'peak RSS (MB)',
    ...extra,
    'kafka-rx records/s ÷ this',
    'kafka-rx CPU ÷ this',
    'kafka-rx RSS ÷ this',
  ];
  const lines = rows.map(({ name, self, result, error, extra: cells = [] }): string[] => {
    if (!result) return failedRow(name, self ? 'not available' : 'failed', error, header.length);
    return [
      name,
      result.seconds.toFixed(2),
      Math.round(rate(result)).toLocaleString('en-US'),
      (result.bytes / 1e6 / result.seconds).toFixed(1),
      result.cpuSeconds.toFixed(2),
      (result.maxRssKb / 1024).toFixed(0),
      ...cells,
      ratio(ours ? rate(ours) : undefined, rate(result), self),
      ratio(ours?.cpuSeconds, result.cpuSeconds, self),
      ratio(ours?.maxRssKb, result.maxRssKb, self),
    ];
  });
  return markdownTable(header, lines);
}
