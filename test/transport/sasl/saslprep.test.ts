import { saslprep } from '../../../src/transport/sasl/saslprep';
import { createTcpTransport } from '../../../src/transport/tcp-transport';
import { scramSession } from '../../../src/transport/sasl/scram';

describe('SASLprep (RFC 4013)', () => {
  // RFC 4013 section 3, the examples, one by one.
  it.each([
    ['I\u00adX', 'IX'], // SOFT HYPHEN mapped to nothing
    ['user', 'user'], // no transformation
    ['USER', 'USER'], // case preserved
    ['\u00aa', 'a'], // output is NFKC
    ['\u2168', 'IX'], // output is NFKC, matches the first
  ])('prepares %j as %j', (input, output) => {
    expect(saslprep(input)).toBe(output);
  });

  it('refuses a prohibited character (RFC 4013 example 6: U+0007)', () => {
    expect(() => saslprep('\u0007')).toThrow('it holds a character SASLprep prohibits (U+0007 at 0)');
  });

  it('refuses broken bidirectional text (RFC 4013 example 7: U+0627 U+0031)', () => {
    expect(() => saslprep('\u0627\u0031')).toThrow(/begin and end with a right-to-left character/);
    expect(() => saslprep('\u0627a\u0627')).toThrow(/mixes right-to-left and left-to-right/);
    expect(saslprep('\u0627\u0031\u0628')).toBe('\u0627\u0031\u0628');
  });

  it('maps non-ASCII spaces to a space and refuses private use, tagging and non-characters', () => {
    expect(saslprep('a\u00a0b\u3000c')).toBe('a b c');
    expect(() => saslprep('a\ue000')).toThrow(/U\+E000/);
    expect(() => saslprep('a\u{e0041}')).toThrow(/U\+E0041/);
    expect(() => saslprep('a\ufffe')).toThrow(/U\+FFFE/);
  });

  it('is applied by SCRAM to the user name and password', () => {
    // RFC 7677's vector with the user name written as U+2168 ROMAN NUMERAL NINE and a soft hyphen.
    const session = scramSession('sha256', '\u2168us\u00ader', 'pencil', 'nonce');
    expect(session.start().toString('utf8')).toBe('n,,n=IXuser,r=nonce');
    const serverFirst = Buffer.from('r=nonce-server,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
    const proof = (password: string) => scramSession('sha256', 'u', password, 'nonce').respond(serverFirst);
    expect(proof('\u2168\u00a0pen')).toEqual(proof('IX pen'));
    expect(proof('\u2168\u00a0pen')).not.toEqual(proof('\u2168 pen '));
  });

  it('makes a SCRAM user name or password it refuses a ConfigError, without naming the password', () => {
    expect(() =>
      createTcpTransport({ sasl: { mechanism: 'scram-sha-256', username: 'bell\u0007', password: 'p' } }),
    ).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        message:
          'sasl.username is not a valid SCRAM user name: it holds a character SASLprep prohibits (U+0007 at 4)',
      }),
    );
    expect(() =>
      createTcpTransport({ sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'secret\u0000' } }),
    ).toThrow(/^sasl.password is not a valid SCRAM password: it holds a character SASLprep prohibits/);
    expect(() =>
      createTcpTransport({ sasl: { mechanism: 'scram-sha-512', username: '\u00ad', password: 'p' } }),
    ).toThrow('sasl.username is empty once prepared with SASLprep');
  });
});
