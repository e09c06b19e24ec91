/**
 * The clients the benchmarks compare, in one table: each one's `--clients` name (its runner:
 * bench/<benchmark>-runners/<runner>.ts, or bench/java/ for the Java client) and the row it has
 * in each benchmark it takes part in.
 */
import type { BrokerKind } from './broker-target';

export type Benchmark = 'consume' | 'produce' | 'latency';

export interface Client {
  /** Its row in the table. */
  readonly name: string;
  /** Its name in `--clients`. */
  readonly runner: string;
  /** A JVM runner (bench/java/), not a Node one. */
  readonly java?: boolean;
  /** Reaches the mock (not Kafka) through bench/consume-runners/platformatic-bridge.ts. */
  readonly bridgedOnMock?: boolean;
  /** Run only when named in `--clients` (or asked for by a flag of its benchmark). */
  readonly onRequest?: boolean;
}

interface Entry extends Omit<Client, 'name'> {
  /** Its row in each benchmark that runs it. */
  readonly rows: Partial<Record<Benchmark, string>>;
}

const CLIENTS: readonly Entry[] = [
  { runner: 'kafka-rx', rows: { consume: 'kafka-rx', produce: 'kafka-rx', latency: 'kafka-rx' } },
  // bench/consume.ts --listen-channels adds it.
  { runner: 'kafka-rx-listened', onRequest: true, rows: { consume: 'kafka-rx, channels listened' } },
  { runner: 'kafka-rx-operator', rows: { produce: 'kafka-rx produce()' } },
  { runner: 'kafkajs', rows: { consume: 'KafkaJS', produce: 'KafkaJS', latency: 'KafkaJS' } },
  { runner: 'platformatic', bridgedOnMock: true, rows: { consume: '@platformatic/kafka' } },
  { runner: 'kcat', rows: { consume: 'kcat -C', produce: 'kcat -P' } },
  {
    runner: 'java',
    java: true,
    rows: { consume: 'Java KafkaConsumer', produce: 'Java KafkaProducer', latency: 'Java KafkaProducer' },
  },
];

/** Every client of a benchmark, in table order. */
export function clientsOf(benchmark: Benchmark): Client[] {
  return CLIENTS.flatMap(({ rows, ...client }) => {
    const name = rows[benchmark];
    return name === undefined ? [] : [{ ...client, name }];
  });
}

/**
 * The clients of `--clients` (comma-separated runner names), or by default all of the benchmark's
 * but those run on request, and the Java client only on Kafka (it is the peer on the real broker;
 * against the mock it gets no answer it can use).
 */
export function pickClients(benchmark: Benchmark, broker: BrokerKind, named: string | undefined): Client[] {
  const all = clientsOf(benchmark);
  if (named === undefined) return all.filter((c) => (broker === 'kafka' || !c.java) && !c.onRequest);
  return named.split(',').map((name) => {
    const client = all.find((c) => c.runner === name.trim());
    if (!client)
      throw new Error(`--clients: unknown client ${name}; known: ${all.map((c) => c.runner).join(', ')}`);
    return client;
  });
}

/** The client's row name on this broker: a bridged client says so. */
export function rowName(client: Client, broker: BrokerKind): string {
  return client.bridgedOnMock && broker === 'mock' ? `${client.name} (via bridge)` : client.name;
}
