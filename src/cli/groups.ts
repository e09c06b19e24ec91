import { createAdmin } from '../admin';
import { failIfAny, table } from './admin-output';
import { parseBrokers, parseFlags, UsageError, type FlagSpec } from './args';
import type { CommandIo } from './io';

export const groupsUsage = [
  'kafka-rx groups list|describe --brokers H:P[,H:P] [--group G]',
  '',
  '  list      one line per group: group, type, state, protocol type',
  '  describe  --group G: state and members, then per partition the committed offset, the end',
  '            offset and the lag (as kafka-consumer-groups --describe)',
].join('\n');

const flags: Readonly<Record<string, FlagSpec>> = {
  brokers: { kind: 'string', required: true },
  group: { kind: 'string' },
};

const shown = (value: bigint | null): string => (value === null ? '-' : String(value));

/** `kafka-rx groups <action>`: the admin client's group and lag calls at the command line. */
export async function runGroups(argv: readonly string[], io: CommandIo): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'list' && action !== 'describe') throw new UsageError('give an action: list or describe');
  const parsed = parseFlags(rest, flags);
  if (action === 'describe' && parsed.group === undefined) throw new UsageError('--group is required');
  const admin = createAdmin({
    brokers: parseBrokers(parsed.brokers as string),
    clientId: 'kafka-rx-cli',
    retries: 2,
  });
  try {
    if (action === 'list') {
      const groups = await admin.listGroups();
      const rows = groups.map((g) => [g.groupId, g.type ?? '-', g.state ?? '-', g.protocolType || '-']);
      io.stdout.write(table(['GROUP', 'TYPE', 'STATE', 'PROTOCOL-TYPE'], rows));
      return 0;
    }
    const groupId = parsed.group as string;
    const [group] = await admin.describeGroups([groupId]);
    failIfAny([group], () => groupId);
    io.stdout.write(`group ${groupId}: ${group.state}, ${group.members.length} member(s)\n`);
    for (const m of group.members) {
      const assigned = m.assignment.map((tp) => `${tp.topic}-${tp.partition}`).join(',');
      io.stdout.write(`  ${m.memberId} ${m.clientId} ${m.clientHost} ${assigned || '-'}\n`);
    }
    const lag = await admin.lag(groupId);
    const rows = lag.partitions.map((p) => [
      p.topic,
      String(p.partition),
      shown(p.committed),
      shown(p.end),
      shown(p.lag),
    ]);
    io.stdout.write(table(['TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG'], rows));
    io.stdout.write(`total lag ${lag.total}\n`);
    return 0;
  } finally {
    await admin.close();
  }
}
