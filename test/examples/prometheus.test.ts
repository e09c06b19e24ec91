import { main } from '../../examples/prometheus';
import { createFakeCluster, type FakeCluster } from '../../src/testing';

// The prom-client example over TCP against the fake cluster: what a Prometheus scrape of it reads.
describe('examples/prometheus', () => {
  let cluster: FakeCluster;
  afterEach(() => cluster.close());

  it('serves the consumer metrics on /metrics', async () => {
    cluster = createFakeCluster({ topics: { orders: 2 } });
    cluster.append('orders', 0, [{ value: 'a' }, { value: 'b' }]);
    cluster.append('orders', 1, [{ value: 'c' }]);
    const { brokers } = await cluster.listen();
    const { url, stop } = await main({ brokers, port: 0, intervalMs: 50 });
    const wanted = 'kafka_rx_records_total{direction="consumed"} 3';
    let text = '';
    try {
      for (
        let tries = 0;
        tries < 100 && !(text.includes(wanted) && /consumer_lag.*partition="1"\} 0/.test(text));
        tries++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        text = await (await fetch(url)).text();
      }
    } finally {
      await stop();
    }
    expect(text).toContain(wanted);
    expect(text).toContain('kafka_rx_records_total{direction="produced"} 0');
    expect(text).toContain('kafka_rx_consumer_lag{topic="orders",partition="0"} 0');
    expect(text).toContain('kafka_rx_consumer_lag{topic="orders",partition="1"} 0');
    expect(text).toContain('kafka_rx_rebalances_total 1');
    expect(text).toContain('kafka_rx_commit_failures_total 0');
    expect(text).toMatch(/kafka_rx_request_latency_ms\{api="Fetch"\} \d/);
    expect(text).toMatch(/kafka_rx_bytes_total\{direction="consumed"\} [1-9]\d+/);
  });
});
