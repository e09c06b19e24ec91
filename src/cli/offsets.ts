import { createAdmin, type OffsetSpec } from '../admin';
import { failIfAny } from './admin-output';
import { parseBrokers, parseFlags, UsageError, type FlagSpec } from './args';
import type { CommandIo } from './io';

export const offsetsUsage = [
  'kafka-rx offsets --brokers H:P[,H:P] --topic T [--time earliest|latest|max-timestamp|<ms since epoch>]',
  '',
  '  One line per partition, topic:partition:offset (as GetOffsetShell): the offset at --time',
  '  (default latest; for a time, the first record at or after it, -1 when there is none).',
].join('\n');

const flags: Readonly<Record<string, FlagSpec>> = {
  brokers: { kind: 'string', required: true },
  topic: { kind: 'string', required: true },
  time: { kind: 'string' },
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

/** `kafka-rx offsets`: the admin client's listOffsets at the command line. */
export async function runOffsets(argv: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseFlags(argv, flags);
  const spec = offsetSpec(parsed.time);
  const admin = createAdmin({
    brokers: parseBrokers(parsed.brokers as string),
    clientId: 'kafka-rx-cli',
    retries: 2,
  });
  try {
    const topic = parsed.topic as string;
    const offsets = await admin.listOffsets([topic], spec);
    failIfAny(offsets, () => topic);
    io.stdout.write(offsets.map((o) => `${o.topic}:${o.partition}:${o.offset}\n`).join(''));
    return 0;
  } finally {
    await admin.close();
  }
}
