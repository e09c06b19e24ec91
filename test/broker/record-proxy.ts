import { createServer, connect, type Socket } from 'node:net';

/** One request and its response, as raw frames without the 4-byte size. */
export interface Exchange {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  request: Buffer;
  /** As the broker sent it, before any rewrite. */
  response: Buffer;
}

export interface RecordProxyOptions {
  /** May return a changed response frame for the client; recorded bytes stay the broker's. */
  rewriteResponse?(apiKey: number, apiVersion: number, frame: Buffer): Buffer;
  /**
   * May answer a request in the broker's place (a response frame without the
   * size); the request is then not forwarded and the exchange not recorded.
   */
  answerRequest?(apiKey: number, apiVersion: number, frame: Buffer): Buffer | undefined;
  /** May return a changed request frame for the broker; the recorded request stays the client's. */
  rewriteRequest?(apiKey: number, apiVersion: number, frame: Buffer): Buffer;
}

export interface RecordProxy {
  readonly host: string;
  readonly port: number;
  /** Every completed exchange, in the order responses arrived. */
  readonly exchanges: Exchange[];
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of one broker that records every frame
 * in both directions, pairing responses to requests by correlation id (the
 * request header gives apiKey and apiVersion; a response has neither).
 */
export async function startRecordProxy(
  target: { host: string; port: number },
  options: RecordProxyOptions = {},
): Promise<RecordProxy> {
  const exchanges: Exchange[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((client) => {
    const broker = connect(target);
    sockets.add(client).add(broker);
    const inFlight = new Map<number, { apiKey: number; apiVersion: number; request: Buffer }>();

    client.on(
      'data',
      frames((request) => {
        const apiKey = request.readInt16BE(0);
        const apiVersion = request.readInt16BE(2);
        const correlationId = request.readInt32BE(4);
        const answer = options.answerRequest?.(apiKey, apiVersion, Buffer.from(request));
        if (answer) {
          client.write(sized(answer));
          return;
        }
        inFlight.set(correlationId, { apiKey, apiVersion, request });
        broker.write(sized(options.rewriteRequest?.(apiKey, apiVersion, Buffer.from(request)) ?? request));
      }),
    );
    broker.on(
      'data',
      frames((response) => {
        const correlationId = response.readInt32BE(0);
        const request = inFlight.get(correlationId);
        let out = response;
        if (request) {
          inFlight.delete(correlationId);
          exchanges.push({ ...request, correlationId, response: Buffer.from(response) });
          out =
            options.rewriteResponse?.(request.apiKey, request.apiVersion, Buffer.from(response)) ?? response;
        }
        client.write(sized(out));
      }),
    );
    const closeBoth = () => {
      client.destroy();
      broker.destroy();
      sockets.delete(client);
      sockets.delete(broker);
    };
    for (const s of [client, broker]) {
      s.on('error', closeBoth);
      s.on('close', closeBoth);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no TCP address');

  return {
    host: '127.0.0.1',
    port: address.port,
    exchanges,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Splits a byte stream into frames (size-prefixed), calling `onFrame` with each body. */
function frames(onFrame: (frame: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
      const size = pending.readInt32BE(0);
      onFrame(Buffer.from(pending.subarray(4, 4 + size)));
      pending = pending.subarray(4 + size);
    }
  };
}

function sized(frame: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(frame.length);
  return Buffer.concat([size, frame]);
}
