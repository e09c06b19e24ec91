import { clientsOf, pickClients, rowName } from '../../bench/clients';

const runners = (clients: { runner: string }[]) => clients.map((c) => c.runner);

describe('the benchmarks’ client table', () => {
  it('gives each benchmark its own rows, in table order', () => {
    expect(clientsOf('consume').map((c) => c.name)).toEqual([
      'kafka-rx',
      'kafka-rx, channels listened',
      'KafkaJS',
      '@platformatic/kafka',
      'kcat -C',
      'Java KafkaConsumer',
    ]);
    expect(clientsOf('produce').map((c) => c.name)).toEqual([
      'kafka-rx',
      'kafka-rx produce()',
      'KafkaJS',
      'kcat -P',
      'Java KafkaProducer',
    ]);
    expect(clientsOf('latency').map((c) => c.name)).toEqual(['kafka-rx', 'KafkaJS', 'Java KafkaProducer']);
  });

  it('runs by default every client but those on request, and Java on Kafka only', () => {
    expect(runners(pickClients('consume', 'kafka', undefined))).toEqual([
      'kafka-rx',
      'kafkajs',
      'platformatic',
      'kcat',
      'java',
    ]);
    expect(runners(pickClients('consume', 'mock', undefined))).toEqual([
      'kafka-rx',
      'kafkajs',
      'platformatic',
      'kcat',
    ]);
    expect(runners(pickClients('latency', 'mock', undefined))).toEqual(['kafka-rx', 'kafkajs']);
  });

  it('runs what --clients names, in its order, and refuses a client the benchmark lacks', () => {
    expect(runners(pickClients('consume', 'mock', 'java, kafka-rx-listened'))).toEqual([
      'java',
      'kafka-rx-listened',
    ]);
    expect(() => pickClients('latency', 'kafka', 'kafka-rx,kcat')).toThrow(
      '--clients: unknown client kcat; known: kafka-rx, kafkajs, java',
    );
  });

  it('says so in the row of a client bridged to the mock', () => {
    const [platformatic] = pickClients('consume', 'mock', 'platformatic');
    expect(rowName(platformatic, 'mock')).toBe('@platformatic/kafka (via bridge)');
    expect(rowName(platformatic, 'kafka')).toBe('@platformatic/kafka');
  });
});
