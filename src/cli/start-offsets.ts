import type { Admin } from '../admin';
import { UsageError } from './args';

/** Where `consume -o` starts, in kcat's words. */
export type StartOffset =
  | 'beginning'
  | 'end'
  | 'stored'
  | { readonly offset: bigint }
  | { readonly fromEnd: bigint }
  | { readonly timestamp: number };

/** `beginning`, `end`, `stored`, `N` (that offset), `-N` (N before the end) or `s@MS` (the first record at or after a time). */
export function parseStartOffset(value: string): StartOffset {
  if (value === 'beginning' || value === 'end' || value === 'stored') return value;
  if (/^\d+$/.test(value)) return { offset: BigInt(value) };
  if (/^-\d+$/.test(value)) return { fromEnd: -BigInt(value) };
  const at = /^s@(\d+)$/.exec(value);
  if (at) return { timestamp: Number(at[1]) };
  throw new UsageError(
    `--offset must be beginning, end, stored, N, -N or s@<ms since epoch>, not "${value}"`,
  );
}

/**
 * The offset each partition starts at, from ListOffsets; null for `stored` (the group's committed
 * offsets, else the reset policy). `-N` stops at the earliest offset; a time after the last record is the end.
 */
export async function startOffsets(
  admin: Admin,
  topic: string,
  partitions: readonly number[],
  start: StartOffset,
): Promise<Map<number, bigint> | null> {
  if (start === 'stored') return null;
  if (typeof start === 'object' && 'offset' in start)
    return new Map(partitions.map((p) => [p, start.offset]));
  const tps = partitions.map((partition) => ({ topic, partition }));
  const check = <T extends { error?: Error }>(results: T[]): T[] => {
    const failed = results.find((r) => r.error);
    if (failed?.error) throw failed.error;
    return results;
  };
  const latest = check(await admin.listOffsets(tps, 'latest'));
  if (start === 'end') return new Map(latest.map((o) => [o.partition, o.offset]));
  const earliest = check(await admin.listOffsets(tps, 'earliest'));
  if (start === 'beginning') return new Map(earliest.map((o) => [o.partition, o.offset]));
  if ('fromEnd' in start) {
    return new Map(
      latest.map((o, i) => {
        const back = o.offset - start.fromEnd;
        return [o.partition, back < earliest[i].offset ? earliest[i].offset : back];
      }),
    );
  }
  const atTime = check(await admin.listOffsets(tps, { timestamp: start.timestamp }));
  return new Map(atTime.map((o, i) => [o.partition, o.offset < 0n ? latest[i].offset : o.offset]));
}
