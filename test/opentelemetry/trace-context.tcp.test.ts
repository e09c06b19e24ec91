import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { firstValueFrom, take, toArray } from 'rxjs';
import { createConsumer, processRecords, type ConsumerRecord } from '../../src/consumer';
import { instrumentKafkaRx } from '../../src/opentelemetry';
import { createProducer } from '../../src/producer';
import { createFakeCluster, type FakeCluster } from '../../src/testing';

// Over TCP (the fake cluster on a loopback port): a producer span and the consumer's process span
// of the same record share one trace, carried by the record's `traceparent` header.
describe('kafka-rx/opentelemetry over TCP', () => {
  let cluster: FakeCluster;
  let stop: () => void;
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

  beforeEach(() => {
    exporter.reset();
    stop = instrumentKafkaRx({ tracerProvider: provider, consumerGroup: 'billing' });
  });
  afterEach(async () => {
    stop();
    await cluster.close();
  });

  it('continues the producer trace in the consumer process span', async () => {
    cluster = createFakeCluster({ topics: { orders: 1 } });
    const { brokers } = await cluster.listen();
    const producer = createProducer({ brokers, clientId: 'shop' });
    const record = { topic: 'orders', key: 'order-7', value: 'paid', headers: { source: 'web' } };
    const [metadata] = await producer.send(record);
    await producer.close();
    // The caller's record is not changed: the producer sent a copy with the header.
    expect(record.headers).toEqual({ source: 'web' });

    const consumer = createConsumer({
      brokers,
      groupId: 'billing',
      topics: ['orders'],
      fromBeginning: true,
      autoCommit: false,
    });
    const handled: ConsumerRecord[] = [];
    const [consumed] = await firstValueFrom(
      consumer.messages$.pipe(
        processRecords((r) => void handled.push(r)),
        take(1),
        toArray(),
      ),
    );
    await consumer.close();

    const spans = exporter.getFinishedSpans();
    const send = spans.find((s) => s.kind === SpanKind.PRODUCER)!;
    const processed = spans.find((s) => s.kind === SpanKind.CONSUMER)!;
    expect(send.name).toBe('send orders');
    expect(processed.name).toBe('process orders');
    expect(processed.spanContext().traceId).toBe(send.spanContext().traceId);
    expect(processed.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
    expect(processed.links.map((l) => l.context.spanId)).toEqual([send.spanContext().spanId]);

    const header = consumed.headers.find(([name]) => name === 'traceparent')?.[1]?.toString();
    expect(header).toBe(`00-${send.spanContext().traceId}-${send.spanContext().spanId}-01`);
    expect(consumed.headers.find(([name]) => name === 'source')?.[1]?.toString()).toBe('web');

    expect(send.attributes).toEqual({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
      'messaging.destination.name': 'orders',
      'messaging.client.id': 'shop',
      'messaging.kafka.message.key': 'order-7',
      'messaging.destination.partition.id': '0',
      'messaging.kafka.offset': Number(metadata.offset),
    });
    expect(processed.attributes).toEqual({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.destination.name': 'orders',
      'messaging.destination.partition.id': '0',
      'messaging.kafka.offset': Number(consumed.offset),
      'messaging.kafka.message.key': 'order-7',
      'messaging.consumer.group.name': 'billing',
    });
    expect(processed.status.code).toBe(SpanStatusCode.UNSET);
    expect(handled).toHaveLength(1);
  });

  it('marks the process span failed when the handler fails', async () => {
    cluster = createFakeCluster({ topics: { orders: 1 } });
    const { brokers } = await cluster.listen();
    const producer = createProducer({ brokers });
    await producer.send({ topic: 'orders', value: 'bad' });
    await producer.close();
    const consumer = createConsumer({ brokers, groupId: 'g', topics: ['orders'], fromBeginning: true });
    const failure = firstValueFrom(
      consumer.messages$.pipe(
        processRecords(() => Promise.reject(new TypeError('cannot bill'))),
        toArray(),
      ),
    );
    await expect(failure).rejects.toThrow('cannot bill');
    await consumer.close();
    const processed = exporter.getFinishedSpans().find((s) => s.kind === SpanKind.CONSUMER)!;
    expect(processed.status).toEqual({ code: SpanStatusCode.ERROR, message: 'cannot bill' });
    expect(processed.attributes['error.type']).toBe('TypeError');
    expect(processed.events.map((e) => e.name)).toEqual(['exception']);
  });
});
