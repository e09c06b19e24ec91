import { oauthBearerInitialResponse, oauthBearerSession } from '../../../src/transport/sasl/oauthbearer';

describe('OAUTHBEARER messages', () => {
  it('frames the token and extensions as RFC 7628 and Kafka do: GS2 header, auth=Bearer, key=value, ^A^A', () => {
    const message = oauthBearerInitialResponse({
      value: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.',
      lifetimeMs: 0,
      extensions: { traceId: 'abc 123', logicalCluster: 'lkc-1' },
    });
    expect(message.toString('utf8')).toBe(
      'n,,\u0001auth=Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.\u0001traceId=abc 123\u0001logicalCluster=lkc-1\u0001\u0001',
    );
    expect(oauthBearerInitialResponse({ value: 'abc', lifetimeMs: 0 }).toString('utf8')).toBe(
      'n,,\u0001auth=Bearer abc\u0001\u0001',
    );
  });

  it.each([
    [{ value: 'has space', lifetimeMs: 0 }, /token/],
    [{ value: 'abc', lifetimeMs: 0, extensions: { auth: 'x' } }, /extension name "auth"/],
    [{ value: 'abc', lifetimeMs: 0, extensions: { 'trace-id': 'x' } }, /letters only/],
    [{ value: 'abc', lifetimeMs: 0, extensions: { trace: 'a\u0001b' } }, /printable/],
  ])('refuses what would break the message with a ConfigError (%#)', (token, message) => {
    expect(() => oauthBearerInitialResponse(token)).toThrow(
      expect.objectContaining({ name: 'ConfigError', message: expect.stringMatching(message) }),
    );
  });

  it('completes on an empty server message, and answers an error status with ^A', () => {
    const ok = oauthBearerSession({ value: 'abc', lifetimeMs: 0 });
    expect(ok.respond(Buffer.alloc(0))).toBeUndefined();
    const refused = oauthBearerSession({ value: 'abc', lifetimeMs: 0 });
    expect(refused.respond(Buffer.from('{"status":"invalid_token"}'))?.toString('utf8')).toBe('\u0001');
    expect(() => refused.respond(Buffer.alloc(0))).toThrow(/after the exchange/);
  });
});
