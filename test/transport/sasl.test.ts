import { firstValueFrom } from 'rxjs';
import { createCluster } from '../../src/cluster/create-cluster';
import { metadataRequest } from '../../src/cluster/metadata-response';
import type { KafkaRxError } from '../../src/errors';
import { Metadata } from '../../src/protocol/specs';
import type { SaslMechanism } from '../../src/transport/sasl/sasl-mechanism';
import type { SaslOptions } from '../../src/transport/sasl/sasl-options';
import { createTcpTransport } from '../../src/transport/tcp-transport';
import type { InstrumentedTransport } from '../../src/transport/transport';
import { startSaslFakeBroker, type SaslFakeBroker } from '../support/sasl-fake-broker';

describe('SASL against a SASL-speaking fake broker', () => {
  let broker: SaslFakeBroker;
  const transports: InstrumentedTransport[] = [];
  const transport = (sasl: SaslOptions) => {
    const t = createTcpTransport({ sasl, connectTimeoutMs: 5000 });
    transports.push(t);
    return t;
  };
  const metadata = (t: InstrumentedTransport) =>
    firstValueFrom(t.request({ host: broker.host, port: broker.port }, Metadata, metadataRequest([], false)));
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (e: KafkaRxError) => e,
    );

  beforeEach(async () => {
    broker = await startSaslFakeBroker({ users: { alice: 'alice-secret', 'b,o=b': 'pä$$' } });
  });
  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.close()));
    await broker.close();
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)(
    'authenticates with %s before the first request',
    async (mechanism) => {
      const body = await metadata(transport({ mechanism, username: 'alice', password: 'alice-secret' }));
      expect(body.clusterId).toBe('sasl');
      expect(broker.attempts).toEqual([{ mechanism: mechanism.toUpperCase(), username: 'alice', ok: true }]);
    },
  );

  it('escapes "," and "=" in a SCRAM user name', async () => {
    await metadata(transport({ mechanism: 'scram-sha-256', username: 'b,o=b', password: 'pä$$' }));
    expect(broker.attempts).toEqual([{ mechanism: 'SCRAM-SHA-256', username: 'b,o=b', ok: true }]);
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)(
    'fails a wrong password with a clear, non-retriable AuthenticationError after exactly one attempt (%s)',
    async (mechanism) => {
      const error = await failure(metadata(transport({ mechanism, username: 'alice', password: 'wrong' })));
      expect(error.name).toBe('AuthenticationError');
      expect(error.retriable).toBe(false);
      expect(error.code).toBe(58);
      expect(error.message).toContain(
        `SASL authentication with 127.0.0.1:${broker.port} failed: Authentication failed`,
      );
      expect(broker.attempts).toEqual([{ mechanism: mechanism.toUpperCase(), username: 'alice', ok: false }]);
      expect(broker.connections()).toBe(1);
    },
  );

  it('does not retry a failed authentication through the cluster either', async () => {
    const cluster = createCluster({
      brokers: [`${broker.host}:${broker.port}`],
      transport: createTcpTransport({
        sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'wrong' },
      }),
      retries: 5,
      retryBackoffMs: 10,
    });
    try {
      const error = await failure(firstValueFrom(cluster.metadata([])));
      expect(error.name).toBe('AuthenticationError');
      expect(broker.attempts).toHaveLength(1);
      expect(broker.connections()).toBe(1);
    } finally {
      await cluster.close();
    }
  });

  it('runs a mechanism of the user’s own, and fails with an AuthenticationError naming what it threw', async () => {
    const own = (fail: boolean): SaslMechanism => ({
      name: 'PLAIN',
      session: ({ broker: to }) => ({
        start: () => Buffer.from(`\u0000alice\u0000alice-secret`),
        respond: () => {
          if (fail) throw new Error(`no trust in ${to.host}`);
          return undefined;
        },
      }),
    });
    expect((await metadata(transport({ mechanism: own(false) }))).clusterId).toBe('sasl');
    const error = await failure(metadata(transport({ mechanism: own(true) })));
    expect(error).toMatchObject({ name: 'AuthenticationError', retriable: false });
    expect(error.message).toBe(
      `SASL authentication with 127.0.0.1:${broker.port} failed: no trust in 127.0.0.1`,
    );
  });

  it('names the mechanisms the broker offers when the one asked for is not enabled', async () => {
    await broker.close();
    broker = await startSaslFakeBroker({ users: { alice: 'alice-secret' }, mechanisms: ['SCRAM-SHA-512'] });
    const error = await failure(
      metadata(transport({ mechanism: 'plain', username: 'alice', password: 'alice-secret' })),
    );
    expect(error.name).toBe('AuthenticationError');
    expect(error.message).toContain('mechanism PLAIN is not enabled (the broker offers: SCRAM-SHA-512)');
    expect(error.code).toBe(33);
  });
});
