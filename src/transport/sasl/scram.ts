import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from '../errors';
import type { SaslMechanism } from './sasl-mechanism';
import { saslprep } from './saslprep';
import type { SaslSession } from './sasl-session';

export type ScramHash = 'sha256' | 'sha512';

const KEY_LENGTH: Record<ScramHash, number> = { sha256: 32, sha512: 64 };
/** Kafka refuses fewer iterations; a server asking for fewer is not a Kafka broker to trust. */
const MIN_ITERATIONS = 4096;

/**
 * SCRAM (RFC 5802; SHA-256 per RFC 7677, SHA-512 as Kafka uses it): client-first, then a proof
 * answering the server's salt and iteration count, then a check of the server's signature, so a
 * server that does not know the password is caught too. No channel binding (`n,,`). The user name
 * and password are prepared with SASLprep, as RFC 5802 asks (Kafka's Java client sends them
 * unprepared: the two differ only for non-ASCII spaces, soft hyphens and the like, and text that
 * NFKC changes).
 *
 * @param nonce the client nonce; random by default (tests pass RFC vectors).
 */
export function scramSession(
  hash: ScramHash,
  username: string,
  password: string,
  nonce: string = randomBytes(24).toString('base64'),
): SaslSession {
  const clientFirstBare = `n=${saslName(saslprep(username))},r=${nonce}`;
  let expectedServerSignature: Buffer | undefined;
  let step: 'first' | 'final' | 'done' = 'first';

  const hmac = (key: Buffer, data: string | Buffer): Buffer => createHmac(hash, key).update(data).digest();

  return {
    start: () => Buffer.from(`n,,${clientFirstBare}`, 'utf8'),
    respond(serverMessage: Buffer): Buffer | undefined {
      const text = serverMessage.toString('utf8');
      const attributes = parseAttributes(text);
      if (attributes.has('e')) throw scramError(`server error: ${attributes.get('e')}`);
      if (step === 'first') {
        const serverNonce = attributes.get('r');
        const salt = attributes.get('s');
        const iterations = Number(attributes.get('i'));
        if (serverNonce === undefined || salt === undefined || !Number.isInteger(iterations)) {
          throw scramError(`malformed server-first-message ${JSON.stringify(text)}`);
        }
        if (!serverNonce.startsWith(nonce) || serverNonce.length === nonce.length) {
          throw scramError('the server nonce does not extend the client nonce');
        }
        if (iterations < MIN_ITERATIONS) throw scramError(`too few iterations (${iterations})`);
        const saltedPassword = pbkdf2Sync(
          Buffer.from(saslprep(password), 'utf8'),
          Buffer.from(salt, 'base64'),
          iterations,
          KEY_LENGTH[hash],
          hash,
        );
        const clientKey = hmac(saltedPassword, 'Client Key');
        const storedKey = createHash(hash).update(clientKey).digest();
        const clientFinalWithoutProof = `c=biws,r=${serverNonce}`;
        const authMessage = `${clientFirstBare},${text},${clientFinalWithoutProof}`;
        const clientSignature = hmac(storedKey, authMessage);
        const proof = Buffer.alloc(clientKey.length);
        for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i] ^ clientSignature[i];
        expectedServerSignature = hmac(hmac(saltedPassword, 'Server Key'), authMessage);
        step = 'final';
        return Buffer.from(`${clientFinalWithoutProof},p=${proof.toString('base64')}`, 'utf8');
      }
      if (step === 'final') {
        const verifier = attributes.get('v');
        if (verifier === undefined)
          throw scramError(`malformed server-final-message ${JSON.stringify(text)}`);
        const signature = Buffer.from(verifier, 'base64');
        if (
          signature.length !== expectedServerSignature!.length ||
          !timingSafeEqual(signature, expectedServerSignature!)
        ) {
          throw scramError('the server signature is wrong: the server does not know the password');
        }
        step = 'done';
        return undefined;
      }
      throw scramError('unexpected message after the exchange completed');
    },
  };
}

const SCRAM_NAMES: Record<ScramHash, string> = { sha256: 'SCRAM-SHA-256', sha512: 'SCRAM-SHA-512' };

export function scramMechanism(hash: ScramHash, username: string, password: string): SaslMechanism {
  return { name: SCRAM_NAMES[hash], session: () => scramSession(hash, username, password) };
}

/** RFC 5802 saslname: `=` and `,` are escaped. */
function saslName(username: string): string {
  return username.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/** `a=1,b=2` into a map; values may contain `=` (base64). */
function parseAttributes(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    if (at === 1) attributes.set(part[0], part.slice(2));
  }
  return attributes;
}

function scramError(reason: string): AuthenticationError {
  return new AuthenticationError(`SCRAM: ${reason}`);
}
