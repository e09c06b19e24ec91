import { concat, delay, firstValueFrom, of, throwError, timer, type Observable } from 'rxjs';
import { metadataRequest } from '../../src/cluster/metadata-response';
import { connectionError } from '../../src/transport/errors';
import { createMemoryTransport } from '../../src/transport/memory-transport';
import type { OAuthBearerTokenProvider } from '../../src/transport/sasl/oauthbearer-token';
import { Metadata } from '../../src/protocol/specs';
import type { FrameHandler, TransportEvent } from '../../src/transport/transport';
import { saslConnection, type SaslServerLog } from '../support/sasl-broker-side';
import { unsecuredJws } from '../support/unsecured-jws';
import { virtualClock } from '../support/virtual-time';

const broker = { host: 'kafka', port: 9092 };
const RESPONSE_DELAY_MS = 100;

/**
 * KIP-368 in virtual time: the broker gives a session lifetime of 10 s and closes a connection
 * used after it; kafka-rx re-authenticates at 90 % of it (random fixed at 0.5) on the same
 * connection, with requests in flight and others arriving meanwhile.
 */
describe('SASL re-authentication (KIP-368) in virtual time', () => {
  function setup(
    sessionLifetimeMs: number,
    provider?: (clock: ReturnType<typeof virtualClock>) => OAuthBearerTokenProvider,
  ) {
    const clock = virtualClock();
    const log: SaslServerLog = { attempts: [], requests: [], closes: [] };
    const side = saslConnection(
      { mechanisms: ['OAUTHBEARER'], sessionLifetimeMs, now: () => clock.now() },
      log,
      broker.port,
    );
    // One connection: the test makes no other.
    const handler: FrameHandler = (_broker, frame): Observable<Buffer> => {
      const { responses, close } = side.handle(frame);
      // Frames go without their size prefix through the memory transport.
      const answered = of(...responses.map((r) => r.subarray(4))).pipe(delay(RESPONSE_DELAY_MS, clock));
      return close
        ? concat(
            answered,
            throwError(() => connectionError(broker, 'was closed by the broker')),
          )
        : answered;
    };
    let tokens = 0;
    const transport = createMemoryTransport({
      handler,
      clock,
      random: () => 0.5,
      sasl: {
        mechanism: 'oauthbearer',
        tokenProvider:
          provider?.(clock) ??
          (async () => {
            tokens++;
            const now = clock.now();
            return {
              value: unsecuredJws({ sub: 'alice', iatMs: now, expMs: now + 3600000 }),
              lifetimeMs: now + 3600000,
              extensions: { n: `${tokens}` },
            };
          }),
      },
    });
    const events: TransportEvent[] = [];
    transport.events$.subscribe((e) => events.push(e));
    const answers: { at: number; clusterId?: string; error?: string }[] = [];
    const request = () =>
      transport.request(broker, Metadata, metadataRequest([], false)).subscribe({
        next: (body) => answers.push({ at: clock.now(), clusterId: body.clusterId ?? undefined }),
        error: (e: Error) => answers.push({ at: clock.now(), error: e.name }),
      });
    /**
     * Runs the clock to `ms` one scheduled action at a time, letting the token provider's
     * promises settle in between (they resolve outside the scheduler).
     */
    const runTo = async (ms: number) => {
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        const next = clock.actions[0]?.delay;
        if (next === undefined || next > ms) break;
        clock.advanceTo(next);
      }
      clock.advanceTo(ms);
    };
    /** Requests at the given times (in order), then runs to `end`. */
    const requestsAt = async (times: number[], end: number) => {
      for (const t of times) {
        await runTo(t);
        request();
      }
      await runTo(end);
    };
    return { clock, log, events, answers, requestsAt, tokens: () => tokens };
  }

  it('re-authenticates on the same connection before the session expires; no request is lost', async () => {
    const { log, events, answers, requestsAt, tokens } = setup(10000);
    // Authenticated at 300 (three round trips of 100 ms): re-authentication due at 300 + 9000.
    // The request at 9250 is in flight when it starts; the one at 9310 arrives during it.
    await requestsAt([0, 9250, 9310, 20000], 21000);

    expect(answers).toEqual([
      { at: 400, clusterId: 'sasl' },
      { at: 9350, clusterId: 'sasl' },
      { at: 9600, clusterId: 'sasl' },
      { at: 20100, clusterId: 'sasl' },
    ]);
    // Nothing came between SaslHandshake and SaslAuthenticate; the late request waited.
    expect(log.requests.map((r) => `${r.api}@${r.at}`)).toEqual([
      'ApiVersions@0',
      'SaslHandshake@100',
      'SaslAuthenticate@200',
      'Metadata@300',
      'Metadata@9250',
      'SaslHandshake@9300',
      'SaslAuthenticate@9400',
      'Metadata@9500',
      'SaslHandshake@18500',
      'SaslAuthenticate@18600',
      'Metadata@20000',
    ]);
    expect(log.closes).toEqual([]);
    expect(log.attempts.map((a) => [a.ok, a.reauthentication ?? false, a.extensions])).toEqual([
      [true, false, { n: '1' }],
      [true, true, { n: '2' }],
      [true, true, { n: '3' }],
    ]);
    expect(tokens()).toBe(3);
    expect(events.filter((e) => e.type === 'connect')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'reauthenticate')).toEqual([
      { type: 'reauthenticate', broker, durationMs: 200, sessionLifetimeMs: 10000 },
      { type: 'reauthenticate', broker, durationMs: 200, sessionLifetimeMs: 10000 },
    ]);
  });

  it('holds no request while the token provider works: only from SaslHandshake on', async () => {
    // An identity provider answering in 500 ms (on the virtual clock).
    const slowProvider = (clock: ReturnType<typeof virtualClock>) => async () => {
      await firstValueFrom(timer(500, clock));
      const now = clock.now();
      return {
        value: unsecuredJws({ sub: 'alice', iatMs: now, expMs: now + 3600000 }),
        lifetimeMs: now + 3600000,
      };
    };
    const { log, answers, requestsAt } = setup(10000, slowProvider);
    // Authenticated at 800 (a 500 ms token, then three round trips): re-authentication due at 9800,
    // its token ready at 10300. The request at 10000 goes at once.
    await requestsAt([0, 10000], 11000);
    expect(answers).toEqual([
      { at: 900, clusterId: 'sasl' },
      { at: 10100, clusterId: 'sasl' },
    ]);
    expect(log.requests.map((r) => `${r.api}@${r.at}`).slice(4)).toEqual([
      'Metadata@10000',
      'SaslHandshake@10300',
      'SaslAuthenticate@10400',
    ]);
  });

  it('does not re-authenticate when the broker gives no session lifetime', async () => {
    const { log, answers, requestsAt } = setup(0);
    await requestsAt([0, 3600000], 3601000);
    expect(answers.map((a) => a.clusterId)).toEqual(['sasl', 'sasl']);
    expect(log.requests.filter((r) => r.api === 'SaslHandshake')).toHaveLength(1);
  });

  it('closes the connection with the AuthenticationError when re-authentication is refused', async () => {
    let calls = 0;
    const { log, events, answers, requestsAt } = setup(10000, (clock) => async () => {
      calls++;
      const now = clock.now();
      // The second token names no subject: the broker refuses it.
      const sub = (calls === 1 ? 'alice' : undefined) as string;
      return { value: unsecuredJws({ sub, iatMs: now, expMs: now + 3600000 }), lifetimeMs: now + 3600000 };
    });
    await requestsAt([0, 9310], 10000);
    expect(answers).toEqual([
      { at: 400, clusterId: 'sasl' },
      { at: 9600, error: 'AuthenticationError' },
    ]);
    expect(log.attempts.map((a) => a.ok)).toEqual([true, false]);
    expect(events.find((e) => e.type === 'disconnect')).toMatchObject({
      reason: { name: 'AuthenticationError' },
    });
  });
});
