import { scramSession } from '../../../src/transport/sasl/scram';
// kafkajs's SCRAM, as an outside implementation to compare SCRAM-SHA-512 with (RFC 7677 covers SHA-256 only).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SCRAM, DIGESTS } = require('kafkajs/src/broker/saslAuthenticator/scram');

const text = (b: Buffer | undefined) => b?.toString('utf8');

describe('SCRAM', () => {
  it('reproduces the RFC 7677 SCRAM-SHA-256 exchange byte for byte', () => {
    const session = scramSession('sha256', 'user', 'pencil', 'rOprNGfwEbeRWgbNEkqO');
    expect(text(session.start())).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    const final = session.respond(
      Buffer.from('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'),
    );
    expect(text(final)).toBe(
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    );
    expect(session.respond(Buffer.from('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='))).toBeUndefined();
  });

  it('computes the same SCRAM-SHA-512 messages and server signature as kafkajs', async () => {
    const nonce = 'fyko+d2lbbFgONRv9qkxdawL';
    const serverFirst = `r=${nonce}3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096`;
    const parsedServerFirst = {
      r: `${nonce}3rfcNHYJY1ZVvWVs7j`,
      s: 'QSXCR+Q6sek8bf92',
      i: '4096',
      original: serverFirst,
    };

    // kafkajs's client, driven by a scripted server; it frames each message as int32 length + bytes.
    const sent: string[] = [];
    const theirs = new SCRAM(
      { username: 'u=s,er', password: 'päss' },
      'localhost',
      9092,
      { debug() {}, error() {} },
      async ({ request }: { request: { encode(): Promise<Buffer> } }) => {
        sent.push((await request.encode()).subarray(4).toString('utf8'));
        return sent.length === 1 ? parsedServerFirst : { v: 'not-checked-here' };
      },
      DIGESTS.SHA512,
    );
    theirs.currentNonce = nonce;
    await expect(theirs.authenticate()).rejects.toThrow(/server signature/);
    const expectedSignature: string = theirs.serverSignature(
      await theirs.serverKey(parsedServerFirst),
      parsedServerFirst,
    );

    const session = scramSession('sha512', 'u=s,er', 'päss', nonce);
    expect(text(session.start())).toBe(sent[0]);
    expect(text(session.respond(Buffer.from(serverFirst)))).toBe(sent[1]);
    expect(session.respond(Buffer.from(`v=${expectedSignature}`))).toBeUndefined();
  });

  it('refuses a server that does not know the password (wrong server signature)', () => {
    const session = scramSession('sha256', 'user', 'pencil', 'rOprNGfwEbeRWgbNEkqO');
    session.respond(
      Buffer.from('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'),
    );
    expect(() => session.respond(Buffer.from('v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='))).toThrow(
      expect.objectContaining({
        name: 'AuthenticationError',
        message: expect.stringMatching(/server signature/),
      }),
    );
  });

  it('refuses a server nonce that does not extend the client nonce, and too few iterations', () => {
    expect(() =>
      scramSession('sha256', 'u', 'p', 'abc').respond(Buffer.from('r=xyz123,s=QSXCR+Q6sek8bf92,i=4096')),
    ).toThrow(/nonce/);
    expect(() =>
      scramSession('sha256', 'u', 'p', 'abc').respond(Buffer.from('r=abc123,s=QSXCR+Q6sek8bf92,i=1')),
    ).toThrow(/iterations/);
  });

  it('reports a server error attribute', () => {
    expect(() => scramSession('sha512', 'u', 'p', 'abc').respond(Buffer.from('e=unknown-user'))).toThrow(
      /unknown-user/,
    );
  });
});
