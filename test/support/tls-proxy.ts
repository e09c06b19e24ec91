import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { selfSignedPem } from './openssl';

/** A self-signed certificate made with the openssl CLI, valid for `localhost` and 127.0.0.1. */
export interface SelfSignedCertificate {
  readonly key: Buffer;
  readonly cert: Buffer;
}

export function selfSignedCertificate(commonName = 'localhost'): SelfSignedCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-rx-tls-'));
  try {
    const pem = selfSignedPem(dir, 'certificate', `/CN=${commonName}`, 'DNS:localhost,IP:127.0.0.1');
    return { key: readFileSync(pem.key), cert: readFileSync(pem.cert) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TlsProxy {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A TLS-terminating proxy on 127.0.0.1 in front of a plain TCP port (a mock broker). With
 * `clientCa`, it requires a client certificate signed by it (as `ssl.client.auth=required`).
 */
export async function startTlsProxy(
  target: { host: string; port: number },
  certificate: SelfSignedCertificate,
  clientCa?: Buffer,
): Promise<TlsProxy> {
  const sockets = new Set<Socket>();
  const mutual = clientCa === undefined ? {} : { ca: clientCa, requestCert: true, rejectUnauthorized: true };
  const server: Server = createServer(
    { key: certificate.key, cert: certificate.cert, ...mutual },
    (client) => {
      const upstream = connect(target.port, target.host);
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    },
  );
  // A handshake refused by the client ends here; nothing to do.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    host: '127.0.0.1',
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
