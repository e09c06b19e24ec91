/**
 * Authentication: SASL OAUTHBEARER with a token provider, and TLS with a client certificate
 * (mTLS). Every client (consumer, producer, admin) takes `sasl` and `tls`, as does
 * `createTcpTransport`. A mechanism of your own is in examples/msk-iam.ts.
 *
 *   import { createAdmin } from 'kafka-rx';
 */
import { readFileSync } from 'node:fs';
import { createAdmin } from '../src';

export interface OAuthBearerExampleOptions {
  readonly brokers: string[];
  /** Your identity provider (an OAuth client-credentials request, typically). */
  readonly fetchToken: () => Promise<{ accessToken: string; expiresInS: number }>;
}

/** Lists the topics as the identity the token names. */
export async function oauthBearer({ brokers, fetchToken }: OAuthBearerExampleOptions): Promise<string[]> {
  // #region oauthbearer
  const admin = createAdmin({
    brokers,
    sasl: {
      mechanism: 'oauthbearer',
      // Called at each authentication and re-authentication (KIP-368): cache tokens as you see fit.
      tokenProvider: async () => {
        const { accessToken, expiresInS } = await fetchToken();
        return {
          value: accessToken,
          lifetimeMs: Date.now() + expiresInS * 1000, // when it expires, ms since the epoch
          extensions: { traceId: 'billing' }, // optional SASL extensions (KIP-342)
        };
      },
    },
  });
  // #endregion
  try {
    return await admin.listTopics();
  } finally {
    await admin.close();
  }
}

export interface MutualTlsExampleOptions {
  readonly brokers: string[];
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** Lists the topics over TLS, presenting a client certificate. */
export async function mutualTls({
  brokers,
  caFile,
  certFile,
  keyFile,
}: MutualTlsExampleOptions): Promise<string[]> {
  // #region mtls
  const admin = createAdmin({
    brokers,
    tls: { ca: readFileSync(caFile), cert: readFileSync(certFile), key: readFileSync(keyFile) },
  });
  // #endregion
  try {
    return await admin.listTopics();
  } finally {
    await admin.close();
  }
}
