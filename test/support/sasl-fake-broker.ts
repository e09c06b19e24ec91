import { createServer, type Server, type Socket } from 'node:net';
import {
  saslConnection,
  type SaslAttempt,
  type SaslServerLog,
  type SaslServerOptions,
} from './sasl-broker-side';

export type { SaslAttempt } from './sasl-broker-side';

/** A TCP broker that speaks just enough to test SASL (see `saslConnection`). */
export type SaslFakeBrokerOptions = SaslServerOptions;

export interface SaslFakeBroker extends SaslServerLog {
  readonly host: string;
  readonly port: number;
  /** Every completed authentication, in order. */
  readonly attempts: SaslAttempt[];
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

export async function startSaslFakeBroker(options: SaslFakeBrokerOptions): Promise<SaslFakeBroker> {
  const log: SaslServerLog = { attempts: [], requests: [], closes: [] };
  const sockets = new Set<Socket>();
  let accepted = 0;
  let port = 0;

  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const connection = saslConnection(options, log, port);
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const size = pending.readInt32BE(0);
        const frame = pending.subarray(4, 4 + size);
        pending = pending.subarray(4 + size);
        const { responses, close } = connection.handle(frame);
        for (const response of responses) socket.write(response);
        if (close) {
          socket.end();
          return;
        }
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  return {
    host: '127.0.0.1',
    port,
    ...log,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
