/**
 * Metrics for Prometheus: a consumer's `clientMetrics` snapshots as prom-client metrics, served
 * on `/metrics` for scraping. prom-client is your dependency, not kafka-rx's.
 *
 *   import { clientMetrics, createConsumer, processRecords } from 'kafka-rx';
 *
 * Run: node --require ./bench/register.js examples/prometheus.ts [host:port]
 *      then: curl http://127.0.0.1:9464/metrics
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Registry } from 'prom-client';
import { clientMetrics, createConsumer, processRecords, type ClientMetricsSnapshot } from '../src';
import { runExample } from './run-example';

export interface PrometheusOptions {
  readonly brokers: string[];
  readonly topic?: string;
  readonly groupId?: string;
  /** Where `/metrics` listens, on 127.0.0.1 (0: any free port). */
  readonly port?: number;
  /** How often the metrics are brought up to date. */
  readonly intervalMs?: number;
}

/** The registry's metrics, kept up to date from each snapshot. */
export function prometheusMetrics(registry: Registry): (snapshot: ClientMetricsSnapshot) => void {
  const records = new Counter({
    name: 'kafka_rx_records_total',
    help: 'Records fetched or produced',
    labelNames: ['direction'],
    registers: [registry],
  });
  const bytes = new Counter({
    name: 'kafka_rx_bytes_total',
    help: 'Bytes of record batches fetched or produced',
    labelNames: ['direction'],
    registers: [registry],
  });
  const recordsPerSecond = new Gauge({
    name: 'kafka_rx_records_per_second',
    help: 'Records per second over the last interval',
    labelNames: ['direction'],
    registers: [registry],
  });
  const lag = new Gauge({
    name: 'kafka_rx_consumer_lag',
    help: 'Records between the next offset delivered and the high watermark',
    labelNames: ['topic', 'partition'],
    registers: [registry],
  });
  const latency = new Gauge({
    name: 'kafka_rx_request_latency_ms',
    help: 'Mean request latency over the last interval',
    labelNames: ['api'],
    registers: [registry],
  });
  const rebalances = new Counter({
    name: 'kafka_rx_rebalances_total',
    help: 'Rebalances',
    registers: [registry],
  });
  const commitFailures = new Counter({
    name: 'kafka_rx_commit_failures_total',
    help: 'Offset commits that failed',
    registers: [registry],
  });
  // The snapshot's rebalance and failure counts are totals; prom-client counters take increments.
  let seen = { rebalances: 0, commitFailures: 0 };
  return (m) => {
    for (const direction of ['consumed', 'produced'] as const) {
      records.inc({ direction }, m[direction].records);
      bytes.inc({ direction }, m[direction].bytes);
      recordsPerSecond.set({ direction }, m[direction].recordsPerSecond);
    }
    lag.reset();
    for (const l of m.lag) lag.set({ topic: l.topic, partition: String(l.partition) }, Number(l.lag));
    for (const [api, r] of Object.entries(m.requests)) latency.set({ api }, r.meanMs);
    rebalances.inc(m.rebalances - seen.rebalances);
    commitFailures.inc(m.commitFailures - seen.commitFailures);
    seen = { rebalances: m.rebalances, commitFailures: m.commitFailures };
  };
}

/** Consumes `topic` and serves its metrics; resolves with the scrape URL and a stop function. */
export async function main({
  brokers,
  topic = 'orders',
  groupId = 'prometheus-example',
  port = 9464,
  intervalMs = 5000,
}: PrometheusOptions): Promise<{ url: string; stop: () => Promise<void> }> {
  const clientId = 'orders-reader';
  const consumer = createConsumer({ brokers, clientId, groupId, topics: [topic], fromBeginning: true });
  // #region prometheus
  const registry = new Registry();
  const metrics = clientMetrics({ clientId, consumer, intervalMs }).subscribe(prometheusMetrics(registry));
  const consuming = consumer.messages$.pipe(processRecords(() => undefined)).subscribe();

  const server = createServer((request, response) => {
    if (request.url !== '/metrics') return void response.writeHead(404).end();
    void registry
      .metrics()
      .then((text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  // #endregion
  const { port: bound } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${bound}/metrics`,
    stop: async () => {
      consuming.unsubscribe();
      metrics.unsubscribe();
      await consumer.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

if (require.main === module) {
  void runExample(
    'orders',
    async (brokers) => {
      const { url, stop } = await main({ brokers });
      console.log(`scrape ${url}; Ctrl-C stops`);
      await new Promise((resolve) => process.once('SIGINT', resolve));
      await stop();
      return 'stopped';
    },
    (cluster) => cluster.append('orders', 0, [{ value: 'a' }, { value: 'b' }, { value: 'c' }]),
  );
}
