import type { Admin, GroupDescription, PartitionOf, ResetTarget } from '../admin';
import { KafkaRxError } from '../errors';
import { ErrorCode } from '../protocol';
import { adminClient } from './admin-client';
import { failIfAny, table } from './admin-output';
import { checkAction, parseFlags, UsageError, type FlagSpec, type ParsedFlags } from './args';
import { connectionFlags, connectionOf } from './client-settings';
import type { CommandIo } from './io';

export const groupsUsage = [
  'kafka-rx groups list|describe|delete|reset-offsets -b H:P[,H:P] [--group G] [options]',
  '',
  '  list           one line per group: group, type, state, protocol type',
  '  describe       --group G: per partition the committed offset, the end offset, the lag and the',
  '                 member that owns it (the columns of kafka-consumer-groups --describe)',
  '  delete         --group G[,G]: deletes empty groups with their offsets',
  '  reset-offsets  --group G (--topic T[:P[,P]] | --all-topics) --to-earliest | --to-latest |',
  '                 --to-offset N | --shift-by N | --to-datetime MS  [--execute]',
  '                 prints the new offsets; only --execute commits them (the group must be empty)',
  '  -X name=value  client settings (client.id, security.protocol, sasl.*, ssl.ca.location)',
].join('\n');

const flags: Readonly<Record<string, FlagSpec>> = {
  ...connectionFlags,
  group: { kind: 'string', short: 'G' },
  topic: { kind: 'string', short: 't' },
  'all-topics': { kind: 'boolean' },
  'to-earliest': { kind: 'boolean' },
  'to-latest': { kind: 'boolean' },
  'to-offset': { kind: 'string' },
  'shift-by': { kind: 'string' },
  'to-datetime': { kind: 'string' },
  execute: { kind: 'boolean' },
  'dry-run': { kind: 'boolean' },
};

const ACTIONS = ['list', 'describe', 'delete', 'reset-offsets'];
const shown = (value: bigint | null | undefined): string =>
  value === null || value === undefined ? '-' : String(value);
const key = (tp: PartitionOf) => `${tp.topic}\u0000${tp.partition}`;

function required(parsed: ParsedFlags, name: string): string {
  const value = parsed[name];
  if (typeof value !== 'string') throw new UsageError(`--${name} is required`);
  return value;
}

type Member = GroupDescription['members'][number];

interface Row {
  readonly tp: PartitionOf;
  readonly current: bigint | null;
  readonly end: bigint | null;
  readonly lag: bigint | null;
  readonly owner: Member | undefined;
}

/** kafka-consumer-groups' describe: one row per partition committed or assigned, with its owner. */
async function describe(admin: Admin, groupId: string, io: CommandIo): Promise<void> {
  const [group] = await admin.describeGroups([groupId]);
  failIfAny([group], () => groupId);
  const lag = await admin.lag(groupId);
  // Kafka's coordinator calls a group it does not know Dead; there is nothing to show for it.
  if (group.state === 'Dead' && group.members.length === 0 && lag.partitions.length === 0)
    throw new KafkaRxError('GROUP_ID_NOT_FOUND', `consumer group '${groupId}' does not exist`, {
      code: ErrorCode.GROUP_ID_NOT_FOUND,
    });
  failIfAny(lag.partitions, (i) => `${lag.partitions[i].topic}-${lag.partitions[i].partition}`);
  const owners = new Map<string, Member>();
  for (const m of group.members) for (const tp of m.assignment) owners.set(key(tp), m);
  const rows: Row[] = lag.partitions.map((p) => ({
    tp: p,
    current: p.committed,
    end: p.end,
    lag: p.lag,
    owner: owners.get(key(p)),
  }));
  // Assigned partitions with nothing committed yet: no offset and no lag, as Kafka's tool shows them.
  const committed = new Set(rows.map((r) => key(r.tp)));
  const uncommitted = group.members.flatMap((m) =>
    m.assignment.filter((tp) => !committed.has(key(tp))).map((tp) => ({ tp, m })),
  );
  const ends =
    uncommitted.length === 0
      ? []
      : await admin.listOffsets(
          uncommitted.map((u) => u.tp),
          'latest',
        );
  uncommitted.forEach(({ tp, m }, i) =>
    rows.push({ tp, current: null, end: ends[i]?.error ? null : ends[i].offset, lag: null, owner: m }),
  );
  rows.sort((a, b) =>
    a.tp.topic === b.tp.topic ? a.tp.partition - b.tp.partition : a.tp.topic < b.tp.topic ? -1 : 1,
  );
  if (group.members.length === 0) io.stdout.write(`Consumer group '${groupId}' has no active members.\n\n`);
  io.stdout.write(
    table(
      [
        'GROUP',
        'TOPIC',
        'PARTITION',
        'CURRENT-OFFSET',
        'LOG-END-OFFSET',
        'LAG',
        'CONSUMER-ID',
        'HOST',
        'CLIENT-ID',
      ],
      rows.map((r) => [
        groupId,
        r.tp.topic,
        String(r.tp.partition),
        shown(r.current),
        shown(r.end),
        shown(r.lag),
        r.owner?.memberId ?? '-',
        r.owner?.clientHost ?? '-',
        r.owner?.clientId ?? '-',
      ]),
    ),
  );
}

/** The one reset target given, as the admin client takes it. */
function resetTarget(parsed: ParsedFlags): ResetTarget {
  const given = ['to-earliest', 'to-latest', 'to-offset', 'shift-by', 'to-datetime'].filter(
    (n) => parsed[n] !== undefined,
  );
  if (given.length !== 1)
    throw new UsageError('give one of --to-earliest, --to-latest, --to-offset, --shift-by, --to-datetime');
  const number = (name: string, signed: boolean): bigint => {
    const value = parsed[name] as string;
    if (!(signed ? /^-?\d+$/ : /^\d+$/).test(value))
      throw new UsageError(`--${name} takes a${signed ? 'n' : ' whole'} number, not "${value}"`);
    return BigInt(value);
  };
  switch (given[0]) {
    case 'to-earliest':
      return 'earliest';
    case 'to-latest':
      return 'latest';
    case 'to-offset':
      return { offset: number('to-offset', false) };
    case 'shift-by':
      return { shift: number('shift-by', true) };
    default:
      return { timestamp: Number(number('to-datetime', false)) };
  }
}

/** `--topic t`, `--topic t:0,1` (those partitions), or with `--all-topics` every topic the group committed. */
async function resetScope(
  admin: Admin,
  groupId: string,
  parsed: ParsedFlags,
): Promise<Array<string | PartitionOf>> {
  if (parsed['all-topics'] === true) {
    if (parsed.topic !== undefined) throw new UsageError('give --topic or --all-topics, not both');
    return [...new Set((await admin.fetchOffsets(groupId)).map((c) => c.topic))];
  }
  const value = required(parsed, 'topic');
  const colon = value.indexOf(':');
  if (colon === -1) return [value];
  const topic = value.slice(0, colon);
  return value
    .slice(colon + 1)
    .split(',')
    .map((p) => {
      if (!/^\d+$/.test(p)) throw new UsageError(`--topic: "${p}" is not a partition number`);
      return { topic, partition: Number(p) };
    });
}

async function resetOffsets(
  admin: Admin,
  groupId: string,
  parsed: ParsedFlags,
  io: CommandIo,
): Promise<void> {
  const target = resetTarget(parsed);
  const execute = parsed.execute === true;
  if (execute && parsed['dry-run'] === true) throw new UsageError('give --execute or --dry-run, not both');
  const scope = await resetScope(admin, groupId, parsed);
  const results =
    scope.length === 0 ? [] : await admin.resetOffsets(groupId, scope, target, { dryRun: !execute });
  failIfAny(results, (i) => `${results[i].topic}-${results[i].partition}`);
  io.stdout.write(
    table(
      ['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET'],
      results.map((r) => [groupId, r.topic, String(r.partition), String(r.offset)]),
    ),
  );
  if (!execute) io.stderr.write('dry run: nothing was committed (add --execute to commit these offsets)\n');
}

/** `kafka-rx groups <action>`: the admin client's group calls at the command line. */
export async function runGroups(argv: readonly string[], io: CommandIo): Promise<number> {
  const [action, ...rest] = argv;
  checkAction(action, ACTIONS);
  const parsed = parseFlags(rest, flags);
  const groupId = action === 'list' ? '' : required(parsed, 'group');
  const admin = adminClient(connectionOf(parsed, 'kafka-rx-cli'));
  try {
    if (action === 'list') {
      const groups = await admin.listGroups();
      const rows = groups.map((g) => [g.groupId, g.type ?? '-', g.state ?? '-', g.protocolType || '-']);
      io.stdout.write(table(['GROUP', 'TYPE', 'STATE', 'PROTOCOL-TYPE'], rows));
    } else if (action === 'describe') {
      await describe(admin, groupId, io);
    } else if (action === 'delete') {
      const ids = groupId.split(',').filter((g) => g.length > 0);
      const results = await admin.deleteGroups(ids);
      failIfAny(results, (i) => ids[i]);
      io.stdout.write(ids.map((g) => `deleted ${g}\n`).join(''));
    } else {
      await resetOffsets(admin, groupId, parsed, io);
    }
    return 0;
  } finally {
    await admin.close();
  }
}
