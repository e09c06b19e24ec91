import { SpanKind } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { main } from '../../examples/observability';
import { createFakeCluster, type FakeCluster } from '../../src/testing';

describe('examples/observability', () => {
  let cluster: FakeCluster;
  afterEach(() => cluster.close());

  it('logs every request from the request channel and traces the order from producer to consumer', async () => {
    cluster = createFakeCluster({ topics: { orders: 1 } });
    const { brokers } = await cluster.listen();
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const lines: string[] = [];

    await main({ brokers, log: (line) => lines.push(line), tracerProvider });

    expect(lines).toContain('billed order-7');
    const requests = lines.filter((l) => l !== 'billed order-7');
    for (const api of ['ApiVersions', 'Metadata', 'Produce', 'FindCoordinator', 'JoinGroup', 'Fetch'])
      expect(requests.some((l) => l.startsWith(`${api} v`))).toBe(true);
    expect(requests.every((l) => /^\w+ v\d+ to 127\.0\.0\.1:\d+: /.test(l))).toBe(true);
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => [s.name, s.kind])).toEqual([
      ['send orders', SpanKind.PRODUCER],
      ['process orders', SpanKind.CONSUMER],
    ]);
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
  });
});
