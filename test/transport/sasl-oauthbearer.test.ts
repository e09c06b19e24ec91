import { firstValueFrom } from 'rxjs';
import { metadataRequest } from '../../src/cluster/metadata-response';
import type { KafkaRxError } from '../../src/errors';
import { Metadata } from '../../src/protocol/specs';
import type { OAuthBearerTokenProvider } from '../../src/transport/sasl/oauthbearer-token';
import { createTcpTransport } from '../../src/transport/tcp-transport';
import type { InstrumentedTransport } from '../../src/transport/transport';
import { startSaslFakeBroker, type SaslFakeBroker } from '../support/sasl-fake-broker';
import { unsecuredJws } from '../support/unsecured-jws';

describe('SASL OAUTHBEARER against a scripted broker with an unsecured validator', () => {
  let broker: SaslFakeBroker;
  const transports: InstrumentedTransport[] = [];
  const metadata = (tokenProvider: OAuthBearerTokenProvider) => {
    const transport = createTcpTransport({ sasl: { mechanism: 'oauthbearer', tokenProvider } });
    transports.push(transport);
    return firstValueFrom(
      transport.request({ host: broker.host, port: broker.port }, Metadata, metadataRequest([], false)),
    );
  };
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (e: KafkaRxError) => e,
    );
  const token = (sub: string, lifetimeMs: number) => {
    const now = Date.now();
    return {
      value: unsecuredJws({ sub, iatMs: now, expMs: now + lifetimeMs }),
      lifetimeMs: now + lifetimeMs,
    };
  };

  beforeEach(async () => {
    broker = await startSaslFakeBroker({ mechanisms: ['OAUTHBEARER'] });
  });
  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.close()));
    await broker.close();
  });

  it('authenticates with the provider’s token and sends its extensions', async () => {
    const body = await metadata(async () => ({ ...token('alice', 60000), extensions: { traceId: 'a1' } }));
    expect(body.clusterId).toBe('sasl');
    expect(broker.attempts).toEqual([
      { mechanism: 'OAUTHBEARER', username: 'alice', ok: true, extensions: { traceId: 'a1' } },
    ]);
  });

  it('fails a token the broker rejects with a non-retriable AuthenticationError, after one attempt', async () => {
    // Valid on the client's side, but the broker finds no `sub` claim in it.
    const now = Date.now();
    const bad = Buffer.from(JSON.stringify({ exp: now / 1000 + 60 })).toString('base64url');
    const error = await failure(
      metadata(async () => ({ value: `eyJhbGciOiJub25lIn0.${bad}.`, lifetimeMs: now + 60000 })),
    );
    expect(error).toMatchObject({ name: 'AuthenticationError', retriable: false, code: 58 });
    expect(broker.attempts).toEqual([{ mechanism: 'OAUTHBEARER', username: '', ok: false }]);
    expect(broker.connections()).toBe(1);
  });

  it('refuses an expired token without sending it', async () => {
    const error = await failure(metadata(async () => token('alice', -1000)));
    expect(error.name).toBe('AuthenticationError');
    expect(error.message).toMatch(/token provider gave a token that expired \d+ ms ago/);
    expect(broker.requests.map((r) => r.api)).toEqual(['ApiVersions']);
  });

  it('fails with the provider’s own error when it rejects', async () => {
    const error = await failure(
      metadata(async () => {
        throw new Error('identity provider unreachable');
      }),
    );
    expect(error.name).toBe('AuthenticationError');
    expect(error.message).toContain('identity provider unreachable');
    expect(error.retriable).toBe(false);
  });

  it('fails with a ConfigError when the provider resolves to something that is not a token', async () => {
    const error = await failure(metadata(async () => ({ value: 'abc' }) as never));
    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain('must resolve to { value, lifetimeMs, ... }');
  });

  it('checks the options: a missing provider or a misspelt mechanism is a ConfigError', () => {
    expect(() => createTcpTransport({ sasl: { mechanism: 'oauthbearer' } as never })).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        message: expect.stringMatching(/sasl.tokenProvider must be a function/),
      }),
    );
    expect(() =>
      createTcpTransport({ sasl: { mechanism: 'OAUTHBEARER', tokenProvider: () => undefined } as never }),
    ).toThrow(/did you mean oauthbearer\?/);
    expect(() =>
      createTcpTransport({
        sasl: { mechanism: 'oauthbearer', tokenProvider: async () => token('a', 1), username: 'x' } as never,
      }),
    ).toThrow(/unknown option sasl.username/);
    expect(() => createTcpTransport({ sasl: { mechanism: { name: 'AWS_MSK_IAM' } } as never })).toThrow(
      /sasl.mechanism.session must be a function/,
    );
  });
});
