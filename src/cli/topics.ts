import { createAdmin } from '../admin';
import { failIfAny, table } from './admin-output';
import { parseBrokers, parseFlags, UsageError, type FlagSpec } from './args';
import type { CommandIo } from './io';

export const topicsUsage = [
  'kafka-rx topics list|describe|create|delete --brokers H:P[,H:P] [--topic T[,T]] [options]',
  '',
  "  list      the topic names, one per line (--internal: with Kafka's own topics)",
  '  describe  one line per partition: topic, partition, leader, replicas, isr',
  '  create    --topic T [--partitions N] [--replication-factor R] [--config k=v[,k=v]] [--validate-only]',
  '  delete    --topic T[,T]',
].join('\n');

const flags: Readonly<Record<string, FlagSpec>> = {
  brokers: { kind: 'string', required: true },
  topic: { kind: 'string' },
  partitions: { kind: 'integer' },
  'replication-factor': { kind: 'integer' },
  config: { kind: 'string' },
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
  if (!['list', 'describe', 'create', 'delete'].includes(action ?? ''))
    throw new UsageError('give an action: list, describe, create or delete');
  const parsed = parseFlags(rest, flags);
  const admin = createAdmin({
    brokers: parseBrokers(parsed.brokers as string),
    clientId: 'kafka-rx-cli',
    retries: 2,
  });
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
