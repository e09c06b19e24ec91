import { firstValueFrom } from 'rxjs';
import { createCluster, type ClusterMetadata } from '../cluster';
import { KafkaRxError } from '../errors';
import { errorCodeEntry } from '../protocol';
import { createTcpTransport } from '../transport';
import { parseFlags, type FlagSpec } from './args';
import { connectionFlags, connectionOf } from './client-settings';
import type { CommandIo } from './io';

export const metadataUsage = [
  'kafka-rx metadata -b H:P[,H:P] [-t T] [-J]',
  '',
  '  The brokers (and which is the controller), and each topic with its partitions: leader,',
  "  replicas and in-sync replicas, as kcat -L prints them (Kafka's internal topics left out).",
  '  -t T        only this topic',
  '  -J, --json  as kcat -L -J: {"controllerid","brokers":[{"id","name"}],"topics":[{"topic",',
  '              "partitions":[{"partition","leader","replicas":[{"id"}],"isrs":[{"id"}]}]}]}',
].join('\n');

const flags: Readonly<Record<string, FlagSpec>> = {
  ...connectionFlags,
  topic: { kind: 'string', short: 't' },
  json: { kind: 'boolean', short: 'J' },
};

const INTERNAL = /^__/;

interface Described {
  readonly controllerid: number;
  readonly brokers: Array<{ id: number; name: string }>;
  readonly topics: Array<{
    topic: string;
    error?: string;
    partitions: Array<{
      partition: number;
      leader: number;
      replicas: Array<{ id: number }>;
      isrs: Array<{ id: number }>;
    }>;
  }>;
}

function described(metadata: ClusterMetadata, topic: string | undefined): Described {
  const names = [...metadata.topics.keys()].filter((t) =>
    topic === undefined ? !INTERNAL.test(t) : t === topic,
  );
  return {
    controllerid: metadata.controllerId,
    brokers: [...metadata.brokers]
      .sort(([a], [b]) => a - b)
      .map(([id, b]) => ({ id, name: `${b.host}:${b.port}` })),
    topics: names.sort().map((name) => {
      const t = metadata.topics.get(name)!;
      return {
        topic: name,
        ...(t.errorCode !== 0 ? { error: errorCodeEntry(t.errorCode)?.name ?? `error ${t.errorCode}` } : {}),
        partitions: [...t.partitions]
          .sort((a, b) => a.partition - b.partition)
          .map((p) => ({
            partition: p.partition,
            leader: p.leader,
            replicas: p.replicas.map((id) => ({ id })),
            isrs: p.isr.map((id) => ({ id })),
          })),
      };
    }),
  };
}

/** kcat -L's text. */
function text(d: Described): string {
  const lines = [` ${d.brokers.length} brokers:`];
  for (const b of d.brokers)
    lines.push(`  broker ${b.id} at ${b.name}${b.id === d.controllerid ? ' (controller)' : ''}`);
  lines.push(` ${d.topics.length} topics:`);
  for (const t of d.topics) {
    lines.push(`  topic "${t.topic}" with ${t.partitions.length} partitions:${t.error ? ` ${t.error}` : ''}`);
    for (const p of t.partitions) {
      const ids = (xs: Array<{ id: number }>) => xs.map((x) => x.id).join(',');
      lines.push(
        `    partition ${p.partition}, leader ${p.leader}, replicas: ${ids(p.replicas)}, isrs: ${ids(p.isrs)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `kafka-rx metadata`: what a Metadata request for all topics says, as kcat -L prints it. */
export async function runMetadata(argv: readonly string[], io: CommandIo): Promise<number> {
  const parsed = parseFlags(argv, flags);
  const { brokers, clientId, tls, sasl } = connectionOf(parsed, 'kafka-rx-cli');
  const cluster = createCluster({ brokers, transport: createTcpTransport({ clientId, tls, sasl }) });
  try {
    // A pattern asks for every topic: naming one could create it on a broker that auto-creates topics.
    const metadata = await firstValueFrom(cluster.refreshMetadata(/.*/));
    const topic = parsed.topic as string | undefined;
    const result = described(metadata, topic);
    if (topic !== undefined && result.topics.length === 0) {
      throw new KafkaRxError(
        'UNKNOWN_TOPIC_OR_PARTITION',
        `topic "${topic}" does not exist on ${brokers.join(',')}`,
        {
          code: 3,
        },
      );
    }
    io.stdout.write(parsed.json === true ? `${JSON.stringify(result)}\n` : text(result));
    return 0;
  } finally {
    await cluster.close();
  }
}
