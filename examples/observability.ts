/**
 * Observability: kafka-rx's diagnostics channels read with node:diagnostics_channel, and
 * OpenTelemetry spans from producer to consumer with kafka-rx/opentelemetry.
 *
 *   import { subscribe } from 'node:diagnostics_channel';
 *   import { createConsumer, createProducer, processRecords, type RequestTrace } from 'kafka-rx';
 *   import { instrumentKafkaRx } from 'kafka-rx/opentelemetry';
 *
 * Run: node --require ./bench/register.js examples/observability.ts [host:port]
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { TracerProvider } from '@opentelemetry/api';
import { firstValueFrom } from 'rxjs';
import { createConsumer, createProducer, processRecords, type RequestTrace } from '../src';
import { instrumentKafkaRx } from '../src/opentelemetry';
import { runExample } from './run-example';

export interface ObservabilityOptions {
  readonly brokers: string[];
  readonly log?: (line: string) => void;
  /** Where spans go; the global provider (your OpenTelemetry SDK's) by default. */
  readonly tracerProvider?: TracerProvider;
}

/** Sends an order and processes it, logging every request and tracing the order's way. */
export async function main({
  brokers,
  log = console.log,
  tracerProvider,
}: ObservabilityOptions): Promise<void> {
  // #region channels
  const onRequest = (message: unknown) => {
    const { apiName, apiVersion, broker, latencyMs, error } = message as RequestTrace;
    log(
      `${apiName} v${apiVersion} to ${broker.host}:${broker.port}: ${error ? error.message : `${latencyMs} ms`}`,
    );
  };
  subscribe('tracing:kafka-rx:request:asyncEnd', onRequest);
  // #endregion

  // #region opentelemetry
  const stopTracing = instrumentKafkaRx({ tracerProvider, consumerGroup: 'billing' });

  const producer = createProducer({ brokers });
  await producer.send({ topic: 'orders', key: 'order-7', value: 'paid' }); // span "send orders"
  const consumer = createConsumer({ brokers, groupId: 'billing', topics: ['orders'], fromBeginning: true });
  // Span "process orders", in the trace of "send orders" (the record's traceparent header).
  const billed = consumer.messages$.pipe(processRecords(async (record) => log(`billed ${record.key}`)));
  await firstValueFrom(billed);
  // #endregion

  await consumer.close();
  await producer.close();
  stopTracing();
  unsubscribe('tracing:kafka-rx:request:asyncEnd', onRequest);
}

if (require.main === module) {
  void runExample(
    'orders',
    (brokers) => main({ brokers }),
    () => undefined,
  );
}
