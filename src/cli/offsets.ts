import type { ListedOffset, OffsetSpec, PartitionOf } from '../admin';
import { adminClient } from './admin-client';
import { failIfAny } from './admin-output';
import { parseFlags, UsageError, type FlagSpec } from './args';
import { connectionFlags, connectionOf } from './client-settings';
import type { CommandIo } from './io';

export const offsetsUsage = [
  'kafka-rx offsets -b H:P[,H:P] -t T [-p P[,P]] [--time earliest|latest|max-timestamp|<ms since epoch>] [-J]',
  '',
  '  One line per partition, topic:partition:offset (as GetOffsetShell): the offset at --time',
  '  (default latest; for a time, the first record at or after it, -1 when there is none), as kcat -Q.',
  '  -J, --json  the answer as kcat -Q -J prints it: {"T":{"topic":"T","0":{"partition":0,"offset":N},...}}',
].join('\n');

const flags: Readonly<Record<string, FlagSpec>> = {
  ...connectionFlags,
  topic: { kind: 'string', required: true, short: 't' },
  partition: { kind: 'string', short: 'p' },
  time: { kind: 'string' },
  json: { kind: 'boolean', short: 'J' },
};

function offsetSpec(value: unknown): OffsetSpec {
  if (value === undefined || value === 'latest' || value === '-1') return 'latest';
  if (value === 'earliest' || value === '-2') return 'earliest';
  if (value === 'max-timestamp' || value === '-3') return 'max-timestamp';
  if (typeof value === 'string' && /^\d+$/.test(value)) return { timestamp: Number(value) };
  throw new UsageError(
    `--time must be earliest, latest, max-timestamp or milliseconds, not "${String(value)}"`,
  );
}

/** `-p 0,2`: those partitions of the topic. */
export function partitionList(value: string, topic: string): PartitionOf[] {
  return value.split(',').map((p) => {
    if (!/^\d+$/.test(p)) throw new UsageError(`--partition: "${p}" is not a partition number`);
    return { topic, partition: Number(p) };
  });
}

/** kcat -Q -J's shape: topic → partition → { partition, offset }. */
function kcatJson(offsets: readonly ListedOffset[]): string {
  const byTopic: Record<string, Record<string, unknown>> = {};
  for (const o of offsets) {
    byTopic[o.topic] ??= { topic: o.topic };
    // A raw number, as kcat writes it: an int64 offset beyond 2^53 keeps its digits.
    byTopic[o.topic][String(o.partition)] = { partition: o.partition, offset: `\u0000${o.offset}\u0000` };
  }
  return JSON.stringify(byTopic).replace(/"\\u0000(-?\d+)\\u0000"/g, '$1');
}

/** `kafka-rx offsets`: the admin client's listOffsets at the command line. */
export async function runOffsets(argv: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseFlags(argv, flags);
  const spec = offsetSpec(parsed.time);
  const topic = parsed.topic as string;
  const partitions =
    parsed.partition === undefined ? [topic] : partitionList(parsed.partition as string, topic);
  const admin = adminClient(connectionOf(parsed, 'kafka-rx-cli'));
  try {
    const offsets = await admin.listOffsets(partitions, spec);
    failIfAny(offsets, (i) => `${offsets[i].topic}-${offsets[i].partition}`);
    io.stdout.write(
      parsed.json === true
        ? `${kcatJson(offsets)}\n`
        : offsets.map((o) => `${o.topic}:${o.partition}:${o.offset}\n`).join(''),
    );
    return 0;
  } finally {
    await admin.close();
  }
}
