import {
  ConfigError,
  createCluster,
  createConsumer,
  createMemoryTransport,
  createProducer,
  createTcpTransport,
  KafkaRxError,
} from '../../src';
import { ProducerConfigError } from '../../src/producer/errors';
import { didYouMean } from '../../src/config/did-you-mean';

/** The error a call throws (options typed loosely, as JavaScript callers pass them). */
function thrown(call: () => unknown): Error | undefined {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  return undefined;
}

const consumerBase = { brokers: ['127.0.0.1:9092'], groupId: 'g', topics: ['t'] };
const consumerWith = (extra: Record<string, unknown>) => () =>
  createConsumer({ ...consumerBase, ...extra } as never);
const producerWith = (extra: Record<string, unknown>) => () =>
  createProducer({ brokers: ['127.0.0.1:9092'], ...extra } as never);
const transportWith = (extra: Record<string, unknown>) => () => createTcpTransport(extra as never);
const clusterWith = (extra: Record<string, unknown>) => () =>
  createCluster({
    brokers: ['127.0.0.1:9092'],
    transport: createMemoryTransport({ handler: () => [] as never }),
    ...extra,
  } as never);

describe('options: one ConfigError for consumer, producer, transport and cluster', () => {
  it.each<[string, () => unknown, string]>([
    [
      'consumer',
      consumerWith({ sessionTimeout: 10000 }),
      'unknown option sessionTimeout; did you mean sessionTimeoutMs?',
    ],
    ['consumer', consumerWith({ groupID: 'x' }), 'unknown option groupID; did you mean groupId?'],
    [
      'consumer',
      consumerWith({ autoCommit: { interval: 100 } }),
      'unknown option autoCommit.interval; did you mean autoCommit.intervalMs?',
    ],
    [
      'consumer',
      consumerWith({ fetch: { maxWait: 100 } }),
      'unknown option fetch.maxWait; did you mean fetch.maxWaitMs?',
    ],
    ['consumer', consumerWith({ wibble: 1 }), 'createConsumer: unknown option wibble'],
    ['producer', producerWith({ linger: 5 }), 'unknown option linger; did you mean lingerMs?'],
    ['producer', producerWith({ compresion: 'lz4' }), 'unknown option compresion; did you mean compression?'],
    [
      'transport',
      transportWith({ requestTimeout: 100 }),
      'unknown option requestTimeout; did you mean requestTimeoutMs?',
    ],
    [
      'transport',
      transportWith({ sasl: { mechanism: 'plain', user: 'u', password: 'p' } }),
      'unknown option sasl.user; did you mean sasl.username?',
    ],
    [
      'cluster',
      clusterWith({ bootstrapTimeout: 100 }),
      'unknown option bootstrapTimeout; did you mean bootstrapTimeoutMs?',
    ],
  ])('%s: an unknown option name, with a did-you-mean', (_who, call, message) => {
    const error = thrown(call);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(KafkaRxError);
    expect(error?.name).toBe('ConfigError');
    expect(error?.message).toContain(message);
  });

  it.each<[string, () => unknown, string]>([
    [
      'consumer',
      consumerWith({ sessionTimeoutMs: '10000' }),
      'sessionTimeoutMs must be an integer, got "10000" (a string)',
    ],
    [
      'consumer',
      consumerWith({ fromBeginning: 'yes' }),
      'fromBeginning must be true or false, got "yes" (a string)',
    ],
    ['consumer', consumerWith({ fromBeginning: 1 }), 'fromBeginning must be true or false, got 1'],
    [
      'consumer',
      consumerWith({ autoCommit: true }),
      'autoCommit must be false or { intervalMs, ackMode }, got true (a boolean)',
    ],
    ['consumer', consumerWith({ clientId: 42 }), 'clientId must be a non-empty string, got 42'],
    ['consumer', consumerWith({ brokers: [9092] }), 'brokers: 9092 is not "host:port"'],
    ['consumer', consumerWith({ groupId: 42 }), 'groupId must be a non-empty string, got 42'],
    [
      'consumer',
      consumerWith({ assignors: 'range' }),
      'assignors must be a list of names or Assignor objects, got "range" (a string)',
    ],
    [
      'consumer',
      consumerWith({ isolationLevel: 1 }),
      `isolationLevel must be 'read_committed' or 'read_uncommitted', got 1`,
    ],
    ['producer', producerWith({ lingerMs: '5' }), 'lingerMs must be an integer, got "5" (a string)'],
    [
      'producer',
      producerWith({ idempotent: 'true' }),
      'idempotent must be true or false, got "true" (a string)',
    ],
    ['producer', producerWith({ acks: 'one' }), `acks must be 0, 1, -1 or 'all', got "one" (a string)`],
    ['transport', transportWith({ connectTimeoutMs: 1.5 }), 'connectTimeoutMs must be an integer, got 1.5'],
    [
      'transport',
      transportWith({ tls: 'yes' }),
      `tls must be true or node's TLS connection options, got "yes" (a string)`,
    ],
    [
      'transport',
      transportWith({ sasl: { mechanism: 'gssapi', username: 'u', password: 'p' } }),
      'sasl.mechanism must be one of plain, scram-sha-256, scram-sha-512, oauthbearer or a SaslMechanism ({ name, session }), got "gssapi" (a string)',
    ],
    [
      'transport',
      transportWith({ sasl: { mechanism: 'plain', username: 'u', password: 1234 } }),
      'sasl.password must be a string, got a number',
    ],
    ['cluster', clusterWith({ bootstrapTimeoutMs: -1 }), 'bootstrapTimeoutMs must be at least 0, got -1'],
    ['cluster', clusterWith({ brokers: ['no-port'] }), 'bad broker address "no-port"'],
  ])('%s: a value of the wrong type names the value as given', (_who, call, message) => {
    const error = thrown(call);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toContain(message);
  });

  it('node TLS options pass through unchecked', () => {
    expect(
      thrown(transportWith({ tls: { ca: 'x', minVersion: 'TLSv1.3', ALPNProtocols: ['x'] } })),
    ).toBeUndefined();
  });

  it('a producer option error is a ConfigError too (ProducerConfigError is its old name)', () => {
    const error = thrown(producerWith({ acks: 1, idempotent: true }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(ProducerConfigError);
    expect(ProducerConfigError).toBe(ConfigError);
  });

  it('no options object at all', () => {
    expect(thrown(() => createConsumer(undefined as never))?.message).toBe(
      'createConsumer needs an options object, got undefined',
    );
  });
});

describe('didYouMean', () => {
  it('finds a missing suffix, a wrong case, a typo; nothing for a stranger', () => {
    const known = ['sessionTimeoutMs', 'heartbeatIntervalMs', 'groupId', 'fromBeginning'];
    expect(didYouMean('sessionTimeout', known)).toBe('sessionTimeoutMs');
    expect(didYouMean('groupid', known)).toBe('groupId');
    expect(didYouMean('fromBegining', known)).toBe('fromBeginning');
    expect(didYouMean('heartbeatInterval', known)).toBe('heartbeatIntervalMs');
    expect(didYouMean('colour', known)).toBeUndefined();
  });
});
