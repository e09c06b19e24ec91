import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
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
 * The broker side of SASL for one connection, as Kafka behaves: ApiVersions, SaslHandshake,
 * SaslAuthenticate with the server side of PLAIN, SCRAM-SHA-256/512 (RFC 4616, 5802, 7677),
 * OAUTHBEARER with Kafka's unsecured validator (an `alg: none` JWS with `sub` and `exp`), and
 * mechanisms the test scripts; Metadata once authenticated. It closes the connection after a failed
 * authentication, on any other request before authentication, on a request other than
 * SaslAuthenticate right after a SaslHandshake, and on a request after the session expired
 * (KIP-368, when `sessionLifetimeMs` is set). A SaslHandshake on an authenticated connection starts
 * a re-authentication.
 */
export interface SaslServerOptions {
  /** Username to password, for PLAIN and SCRAM. */
  readonly users?: Record<string, string>;
  /** Mechanisms enabled, by Kafka's names. Default PLAIN and SCRAM. */
  readonly mechanisms?: readonly string[];
  /** Kafka's `connections.max.reauth.ms`: 0 (default) for sessions that never expire. */
  readonly sessionLifetimeMs?: number;
  /** The broker's clock (for token expiry and session lifetimes). Default the wall clock. */
  readonly now?: () => number;
  /** Scripted mechanisms: the client's single message checked, giving the principal or an error. */
  readonly custom?: Record<string, (authBytes: Buffer) => { principal: string } | { error: string }>;
}

export interface SaslAttempt {
  readonly mechanism: string;
  readonly username: string;
  readonly ok: boolean;
  /** OAUTHBEARER extensions, when sent. */
  readonly extensions?: Record<string, string>;
  readonly reauthentication?: boolean;
}

/** What every connection of one server shares: what the test looks at. */
export interface SaslServerLog {
  readonly attempts: SaslAttempt[];
  /** API names of every request received, in order, with the time on the broker's clock. */
  readonly requests: { api: string; at: number }[];
  /** Why connections were closed by the broker. */
  readonly closes: string[];
}

const HASHES: Record<string, { hash: 'sha256' | 'sha512'; length: number }> = {
  'SCRAM-SHA-256': { hash: 'sha256', length: 32 },
  'SCRAM-SHA-512': { hash: 'sha512', length: 64 },
};

const SASL_AUTHENTICATION_FAILED = 58;
const UNSUPPORTED_SASL_MECHANISM = 33;
const ILLEGAL_SASL_STATE = 34;

export interface SaslConnection {
  /** Answers one request frame (without its size prefix): the response frames, and whether to close after. */
  handle(frame: Buffer): { responses: Buffer[]; close: boolean };
}

export function saslConnection(options: SaslServerOptions, log: SaslServerLog, port: number): SaslConnection {
  const now = options.now ?? (() => performance.timeOrigin + performance.now());
  const mechanisms = options.mechanisms ?? ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];
  const users = options.users ?? {};
  let mechanism: string | undefined;
  let authenticated = false;
  let reauthenticating = false;
  let expectAuthenticate = false;
  let sessionExpiresAt = Infinity;
  let oauthFailure: string | undefined;
  let scram:
    | { username: string; clientFirstBare: string; serverFirst: string; salt: Buffer; nonce: string }
    | undefined;
  let out: Buffer[] = [];
  let close = false;

  const reply = (api: ApiSpec, version: number, correlationId: number, body: Message) =>
    out.push(encodeResponse<ApiSpec>(api, version, correlationId, body));
  const closeBecause = (why: string) => {
    close = true;
    log.closes.push(why);
  };

  const authenticateReply = (
    version: number,
    correlationId: number,
    errorCode: number,
    authBytes: Buffer,
    errorMessage: string | null = null,
    sessionLifetimeMs = 0,
  ) =>
    reply(SaslAuthenticate, version, correlationId, {
      errorCode,
      errorMessage,
      authBytes,
      sessionLifetimeMs: BigInt(sessionLifetimeMs),
    });

  const fail = (version: number, correlationId: number, username: string, reason?: string) => {
    log.attempts.push({
      mechanism: mechanism!,
      username,
      ok: false,
      ...(reauthenticating ? { reauthentication: true } : {}),
    });
    authenticateReply(
      version,
      correlationId,
      SASL_AUTHENTICATION_FAILED,
      Buffer.alloc(0),
      reason ??
        `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`,
    );
    closeBecause('authentication failed');
  };

  const succeed = (
    version: number,
    correlationId: number,
    username: string,
    serverMessage: Buffer,
    extra: { extensions?: Record<string, string>; expiresAt?: number } = {},
  ) => {
    let lifetime = options.sessionLifetimeMs ?? 0;
    if (lifetime > 0 && extra.expiresAt !== undefined) lifetime = Math.min(lifetime, extra.expiresAt - now());
    log.attempts.push({
      mechanism: mechanism!,
      username,
      ok: true,
      ...(extra.extensions ? { extensions: extra.extensions } : {}),
      ...(reauthenticating ? { reauthentication: true } : {}),
    });
    authenticated = true;
    reauthenticating = false;
    sessionExpiresAt = lifetime > 0 ? now() + lifetime : Infinity;
    authenticateReply(version, correlationId, 0, serverMessage, null, version >= 1 ? lifetime : 0);
  };

  const oauthBearer = (version: number, correlationId: number, text: string) => {
    if (oauthFailure !== undefined) {
      // The client's ^A after the error status: now the exchange fails.
      fail(version, correlationId, '', oauthFailure);
      return;
    }
    // eslint-disable-next-line no-control-regex -- ^A is the separator of RFC 7628
    const match = /^n,,\u0001((?:[^\u0001]*\u0001)*)\u0001$/.exec(text);
    const pairs = new Map(
      (match?.[1] ?? '')
        .split('\u0001')
        .filter((kv) => kv !== '')
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as [string, string]),
    );
    const token = /^Bearer (.+)$/.exec(pairs.get('auth') ?? '')?.[1] ?? '';
    pairs.delete('auth');
    const [header, payload] = token.split('.');
    let claims: { sub?: unknown; exp?: unknown } = {};
    try {
      const alg = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')).alg;
      claims = alg === 'none' ? JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) : {};
    } catch {
      claims = {};
    }
    const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
    if (match === null || typeof claims.sub !== 'string' || expiresAt === undefined || expiresAt <= now()) {
      oauthFailure = 'invalid_token';
      authenticateReply(version, correlationId, 0, Buffer.from('{"status":"invalid_token"}'));
      return;
    }
    succeed(version, correlationId, claims.sub, Buffer.alloc(0), {
      expiresAt,
      ...(pairs.size > 0 ? { extensions: Object.fromEntries(pairs) } : {}),
    });
  };

  const authenticate = (version: number, correlationId: number, authBytes: Buffer) => {
    const text = authBytes.toString('utf8');
    if (mechanism === 'PLAIN') {
      const [, username, password] = text.split('\u0000');
      if (users[username] !== undefined && users[username] === password)
        succeed(version, correlationId, username, Buffer.alloc(0));
      else fail(version, correlationId, username ?? '');
      return;
    }
    if (mechanism === 'OAUTHBEARER') {
      oauthBearer(version, correlationId, text);
      return;
    }
    const custom = options.custom?.[mechanism!];
    if (custom !== undefined) {
      const outcome = custom(authBytes);
      if ('principal' in outcome)
        succeed(
          version,
          correlationId,
          outcome.principal,
          Buffer.from(JSON.stringify({ 'request-id': 'r1' })),
        );
      else fail(version, correlationId, '', outcome.error);
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
      authenticateReply(version, correlationId, 0, Buffer.from(serverFirst));
      expectAuthenticate = true;
      return;
    }
    const password = users[scram.username];
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
    succeed(version, correlationId, scram.username, Buffer.from(`v=${serverSignature.toString('base64')}`));
  };

  const handleOne = (frame: Buffer) => {
    const { header, api, body } = decodeRequest(frame, apiSpecByKey);
    const { apiVersion: version, correlationId } = header;
    log.requests.push({ api: api.name, at: now() });
    if (expectAuthenticate && api.apiKey !== SaslAuthenticate.apiKey) {
      closeBecause(`${api.name} in the middle of a SASL exchange`);
      return;
    }
    expectAuthenticate = false;
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
        if (authenticated && body.mechanism !== mechanism) {
          reply(SaslHandshake, version, correlationId, { errorCode: ILLEGAL_SASL_STATE, mechanisms: [] });
          closeBecause('re-authentication with another mechanism');
          return;
        }
        reauthenticating = authenticated;
        mechanism = body.mechanism;
        scram = undefined;
        oauthFailure = undefined;
        reply(SaslHandshake, version, correlationId, {
          errorCode: mechanisms.includes(body.mechanism) ? 0 : UNSUPPORTED_SASL_MECHANISM,
          mechanisms: [...mechanisms],
        });
        expectAuthenticate = mechanisms.includes(body.mechanism);
        return;
      case SaslAuthenticate.apiKey:
        authenticate(version, correlationId, body.authBytes);
        return;
      case Metadata.apiKey:
        if (!authenticated) break;
        if (now() >= sessionExpiresAt) {
          closeBecause('session expired');
          return;
        }
        reply(Metadata, version, correlationId, {
          throttleTimeMs: 0,
          brokers: [{ nodeId: 1, host: '127.0.0.1', port, rack: null }],
          clusterId: 'sasl',
          controllerId: 1,
          topics: [],
        });
        return;
    }
    closeBecause(`${api.name} before authentication`);
  };

  return {
    handle(frame) {
      out = [];
      close = false;
      handleOne(frame);
      return { responses: out, close };
    },
  };
}
