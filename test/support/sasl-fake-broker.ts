import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { decodeRequest, encodeResponse } from '../../src/protocol/codec';
import type { ApiSpec, Message } from '../../src/protocol/spec';
import {
  apiSpecByKey,
  ApiVersions,
  Metadata,
  SaslAuthenticate,
  SaslHandshake,
} from '../../src/protocol/specs';

/**
 * A broker that speaks just enough to test SASL: ApiVersions, SaslHandshake, SaslAuthenticate with
 * the server side of PLAIN and SCRAM-SHA-256/512 (RFC 4616, 5802, 7677), and Metadata once
 * authenticated. Like Kafka it closes the connection after a failed authentication, and on any
 * other request before authentication.
 */
export interface SaslFakeBrokerOptions {
  /** Username to password. */
  readonly users: Record<string, string>;
  /** Mechanisms enabled, by Kafka's names. Default all three. */
  readonly mechanisms?: readonly string[];
}

export interface SaslAttempt {
  readonly mechanism: string;
  readonly username: string;
  readonly ok: boolean;
}

export interface SaslFakeBroker {
  readonly host: string;
  readonly port: number;
  /** Every completed authentication, in order. */
  readonly attempts: SaslAttempt[];
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

const HASHES: Record<string, { hash: 'sha256' | 'sha512'; length: number }> = {
  'SCRAM-SHA-256': { hash: 'sha256', length: 32 },
  'SCRAM-SHA-512': { hash: 'sha512', length: 64 },
};

const SASL_AUTHENTICATION_FAILED = 58;
const UNSUPPORTED_SASL_MECHANISM = 33;

export async function startSaslFakeBroker(options: SaslFakeBrokerOptions): Promise<SaslFakeBroker> {
  const mechanisms = options.mechanisms ?? ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];
  const attempts: SaslAttempt[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  let port = 0;

  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    let mechanism: string | undefined;
    let authenticated = false;
    let scram:
      | { username: string; clientFirstBare: string; serverFirst: string; salt: Buffer; nonce: string }
      | undefined;

    const reply = (
      api: typeof ApiVersions | typeof Metadata | typeof SaslHandshake | typeof SaslAuthenticate,
      version: number,
      correlationId: number,
      body: Message,
    ) => socket.write(encodeResponse<ApiSpec>(api, version, correlationId, body));

    const fail = (version: number, correlationId: number, username: string) => {
      attempts.push({ mechanism: mechanism!, username, ok: false });
      reply(SaslAuthenticate, version, correlationId, {
        errorCode: SASL_AUTHENTICATION_FAILED,
        errorMessage: `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`,
        authBytes: Buffer.alloc(0),
        sessionLifetimeMs: 0n,
      });
      socket.end();
    };

    const authenticate = (version: number, correlationId: number, authBytes: Buffer) => {
      const text = authBytes.toString('utf8');
      const ok = (username: string, serverMessage: Buffer) => {
        authenticated = true;
        attempts.push({ mechanism: mechanism!, username, ok: true });
        reply(SaslAuthenticate, version, correlationId, {
          errorCode: 0,
          errorMessage: null,
          authBytes: serverMessage,
          sessionLifetimeMs: 0n,
        });
      };
      if (mechanism === 'PLAIN') {
        const [, username, password] = text.split('\u0000');
        if (options.users[username] !== undefined && options.users[username] === password)
          ok(username, Buffer.alloc(0));
        else fail(version, correlationId, username ?? '');
        return;
      }
      const { hash, length } = HASHES[mechanism!];
      const attrs = new Map(
        text
          .replace(/^n,,/, '')
          .split(',')
          .map((kv) => [kv[0], kv.slice(2)] as [string, string]),
      );
      if (scram === undefined) {
        const username = (attrs.get('n') ?? '').replace(/=2C/g, ',').replace(/=3D/g, '=');
        const salt = randomBytes(16);
        const nonce = `${attrs.get('r')}${randomBytes(12).toString('base64')}`;
        const serverFirst = `r=${nonce},s=${salt.toString('base64')},i=4096`;
        scram = { username, clientFirstBare: text.replace(/^n,,/, ''), serverFirst, salt, nonce };
        reply(SaslAuthenticate, version, correlationId, {
          errorCode: 0,
          errorMessage: null,
          authBytes: Buffer.from(serverFirst),
          sessionLifetimeMs: 0n,
        });
        return;
      }
      const password = options.users[scram.username];
      const withoutProof = text.slice(0, text.lastIndexOf(',p='));
      if (password === undefined || attrs.get('r') !== scram.nonce || attrs.get('c') !== 'biws') {
        fail(version, correlationId, scram.username);
        return;
      }
      const salted = pbkdf2Sync(password, scram.salt, 4096, length, hash);
      const clientKey = createHmac(hash, salted).update('Client Key').digest();
      const storedKey = createHash(hash).update(clientKey).digest();
      const authMessage = `${scram.clientFirstBare},${scram.serverFirst},${withoutProof}`;
      const signature = createHmac(hash, storedKey).update(authMessage).digest();
      const proof = Buffer.from(attrs.get('p') ?? '', 'base64');
      if (proof.length !== signature.length) {
        fail(version, correlationId, scram.username);
        return;
      }
      const recovered = Buffer.from(proof.map((byte, i) => byte ^ signature[i]));
      if (!timingSafeEqual(createHash(hash).update(recovered).digest(), storedKey)) {
        fail(version, correlationId, scram.username);
        return;
      }
      const serverSignature = createHmac(hash, createHmac(hash, salted).update('Server Key').digest())
        .update(authMessage)
        .digest();
      ok(scram.username, Buffer.from(`v=${serverSignature.toString('base64')}`));
    };

    const handle = (frame: Buffer) => {
      const { header, api, body } = decodeRequest(frame, apiSpecByKey);
      const { apiVersion: version, correlationId } = header;
      switch (api.apiKey) {
        case ApiVersions.apiKey:
          reply(ApiVersions, version, correlationId, {
            errorCode: 0,
            apiKeys: [
              { apiKey: Metadata.apiKey, minVersion: 1, maxVersion: 12 },
              { apiKey: SaslHandshake.apiKey, minVersion: 0, maxVersion: 1 },
              { apiKey: ApiVersions.apiKey, minVersion: 0, maxVersion: 3 },
              { apiKey: SaslAuthenticate.apiKey, minVersion: 0, maxVersion: 2 },
            ],
            throttleTimeMs: 0,
          });
          return;
        case SaslHandshake.apiKey:
          mechanism = body.mechanism;
          reply(SaslHandshake, version, correlationId, {
            errorCode: mechanisms.includes(body.mechanism) ? 0 : UNSUPPORTED_SASL_MECHANISM,
            mechanisms: [...mechanisms],
          });
          return;
        case SaslAuthenticate.apiKey:
          authenticate(version, correlationId, body.authBytes);
          return;
        case Metadata.apiKey:
          if (!authenticated) break;
          reply(Metadata, version, correlationId, {
            throttleTimeMs: 0,
            brokers: [{ nodeId: 1, host: '127.0.0.1', port, rack: null }],
            clusterId: 'sasl',
            controllerId: 1,
            topics: [],
          });
          return;
      }
      socket.destroy();
    };

    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const size = pending.readInt32BE(0);
        const frame = pending.subarray(4, 4 + size);
        pending = pending.subarray(4 + size);
        handle(frame);
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  return {
    host: '127.0.0.1',
    port,
    attempts,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
