import type { AlterConfigsRequest } from '../admin';
import { adminClient } from './admin-client';
import { failIfAny, table } from './admin-output';
import { checkAction, parseFlags, UsageError, type FlagSpec } from './args';
import { connectionFlags, connectionOf } from './client-settings';
import type { CommandIo } from './io';

export const topicsUsage = [
  'kafka-rx topics list|describe|create|delete|alter-config -b H:P[,H:P] [--topic T[,T]] [options]',
  '',
  "  list      the topic names, one per line (--internal: with Kafka's own topics)",
  '  describe  one line per partition: topic, partition, leader, replicas, isr',
  '  create    --topic T [--partitions N] [--replication-factor R] [--config k=v[,k=v]] [--validate-only]',
  '  delete    --topic T[,T]',
  '  alter-config  --topic T[,T] [--config k=v[,k=v]] [--delete-config k[,k]]: sets and removes',
  '            configs, leaving the others',
  '  -t T is --topic T; -X name=value are client settings (client.id, security.protocol, sasl.*, ssl.ca.location)',
].join('\n');

const flags: Readonly<Record<string, FlagSpec>> = {
  ...connectionFlags,
  topic: { kind: 'string', short: 't' },
  partitions: { kind: 'integer' },
  'replication-factor': { kind: 'integer' },
  config: { kind: 'string' },
  'delete-config': { kind: 'string' },
  'validate-only': { kind: 'boolean' },
  internal: { kind: 'boolean' },
};

function topicNames(value: unknown): string[] {
  if (typeof value !== 'string') throw new UsageError('--topic is required');
  return value.split(',').filter((t) => t.length > 0);
}

function configs(value: unknown): Record<string, string> {
  if (typeof value !== 'string') return {};
  return Object.fromEntries(
    value.split(',').map((pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--config: "${pair}" is not name=value`);
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
}

/** `kafka-rx topics <action>`: the admin client's topic calls at the command line. */
export async function runTopics(argv: readonly string[], io: CommandIo): Promise<number> {
  const [action, ...rest] = argv;
  checkAction(action, ['list', 'describe', 'create', 'delete', 'alter-config']);
  const parsed = parseFlags(rest, flags);
  const admin = adminClient(connectionOf(parsed, 'kafka-rx-cli'));
  try {
    if (action === 'list') {
      const names = await admin.listTopics({ internal: parsed.internal === true });
      io.stdout.write(names.map((n) => `${n}\n`).join(''));
    } else if (action === 'describe') {
      const names = parsed.topic === undefined ? await admin.listTopics() : topicNames(parsed.topic);
      const described = await admin.describeTopics(names);
      failIfAny(described, (i) => names[i]);
      const rows = described.flatMap((t) =>
        t.partitions!.map((p) => [
          t.name,
          String(p.partition),
          String(p.leader),
          p.replicas.join(','),
          p.isr.join(','),
        ]),
      );
      io.stdout.write(table(['TOPIC', 'PARTITION', 'LEADER', 'REPLICAS', 'ISR'], rows));
    } else if (action === 'create') {
      const names = topicNames(parsed.topic);
      const results = await admin.createTopics(
        names.map((name) => ({
          name,
          partitions: parsed.partitions as number | undefined,
          replicationFactor: parsed['replication-factor'] as number | undefined,
          configs: configs(parsed.config),
        })),
        { validateOnly: parsed['validate-only'] === true },
      );
      failIfAny(results, (i) => names[i]);
      io.stdout.write(
        results.map((r) => `${parsed['validate-only'] ? 'valid' : 'created'} ${r.name}\n`).join(''),
      );
    } else if (action === 'alter-config') {
      const names = topicNames(parsed.topic);
      const changes: AlterConfigsRequest['changes'] = [
        ...Object.entries(configs(parsed.config)).map(([name, value]) => ({
          name,
          op: 'set' as const,
          value,
        })),
        ...String(parsed['delete-config'] ?? '')
          .split(',')
          .filter((n) => n.length > 0)
          .map((name) => ({ name, op: 'delete' as const })),
      ];
      if (changes.length === 0) throw new UsageError('give --config k=v or --delete-config k');
      const results = await admin.incrementalAlterConfigs(
        names.map((name) => ({ type: 'topic', name, changes })),
      );
      failIfAny(results, (i) => names[i]);
      io.stdout.write(names.map((n) => `altered ${n}\n`).join(''));
    } else {
      const names = topicNames(parsed.topic);
      const results = await admin.deleteTopics(names);
      failIfAny(results, (i) => names[i]);
      io.stdout.write(names.map((n) => `deleted ${n}\n`).join(''));
    }
    return 0;
  } finally {
    await admin.close();
  }
}
