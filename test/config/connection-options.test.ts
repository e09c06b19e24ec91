import { filter, firstValueFrom, materialize, timeout } from 'rxjs';
import {
  AuthenticationError,
  ConfigError,
  createAdmin,
  createConsumer,
  createMemoryTransport,
  createProducer,
} from '../../src';
import { startSaslFakeBroker, type SaslFakeBroker } from '../support/sasl-fake-broker';

// Consumer, producer and admin take `tls` and `sasl` the same way: they set up the default TCP
// transport, and with a transport of one's own they are refused rather than silently ignored.
describe('tls and sasl on every client', () => {
  let broker: SaslFakeBroker;
  beforeEach(async () => {
    broker = await startSaslFakeBroker({ users: { alice: 'alice-secret' } });
  });
  afterEach(() => broker.close());

  const wrong = { mechanism: 'scram-sha-256', username: 'alice', password: 'wrong' } as const;

  it('the consumer authenticates with its sasl option (a wrong password fails messages$ at once)', async () => {
    const consumer = createConsumer({
      brokers: [`${broker.host}:${broker.port}`],
      groupId: 'g',
      topics: ['t'],
      sasl: wrong,
    });
    try {
      const outcome = await firstValueFrom(
        consumer.messages$.pipe(
          materialize(),
          filter((n) => n.kind !== 'N'),
          timeout({ first: 8000 }),
        ),
      );
      expect(outcome.kind === 'E' && outcome.error).toBeInstanceOf(AuthenticationError);
      expect(broker.attempts).toEqual([{ mechanism: 'SCRAM-SHA-256', username: 'alice', ok: false }]);
    } finally {
      await consumer.close();
    }
  }, 15000);

  it('the producer and the admin client authenticate with their sasl option', async () => {
    const producer = createProducer({
      brokers: [`${broker.host}:${broker.port}`],
      sasl: wrong,
      maxBlockMs: 3000,
    });
    const admin = createAdmin({
      brokers: [`${broker.host}:${broker.port}`],
      sasl: wrong,
      apiTimeoutMs: 3000,
    });
    try {
      await expect(producer.send({ topic: 't', value: 'v' })).rejects.toBeInstanceOf(AuthenticationError);
      await expect(admin.listTopics()).rejects.toBeInstanceOf(AuthenticationError);
      expect(broker.attempts.map((a) => a.username)).toEqual(['alice', 'alice']);
    } finally {
      await producer.close();
      await admin.close();
    }
  }, 15000);

  it('refuses tls or sasl next to a transport of your own', () => {
    const transport = createMemoryTransport({ handler: () => undefined as never });
    const brokers = ['127.0.0.1:9092'];
    const sasl = { mechanism: 'plain', username: 'u', password: 'p' } as const;
    expect(() => createConsumer({ brokers, groupId: 'g', topics: ['t'], transport, sasl })).toThrow(
      ConfigError,
    );
    expect(() => createProducer({ brokers, transport, tls: true })).toThrow(
      'createProducer: tls and sasl set up the default TCP transport; with your own transport, give them to createTcpTransport',
    );
    expect(() => createAdmin({ brokers, transport, sasl })).toThrow(ConfigError);
  });
});
