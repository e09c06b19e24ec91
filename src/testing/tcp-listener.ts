import { createServer, type Server, type Socket } from 'node:net';
import type { Observable, Subscription } from 'rxjs';

/** Kafka's socket.request.max.bytes: a larger size prefix closes the connection. */
const MAX_REQUEST_BYTES = 104857600;

/** Answers one request frame (without prefix) with a response frame (with prefix), none, or an error (close). */
export type FrameResponder = (frame: Buffer, clientHost: string) => Observable<Buffer | undefined>;

/**
 * One fake broker on a real TCP port: reads size-prefixed request frames and, like Kafka,
 * handles one request per connection at a time, writing responses in request order.
 */
export class TcpListener {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;

  constructor(
    private readonly respond: FrameResponder,
    private readonly host = '127.0.0.1',
  ) {}

  get port(): number {
    return this.boundPort;
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  /** Listens on `port` (0: an ephemeral one, then kept for later restarts). */
  listen(port = this.boundPort): Promise<number> {
    if (this.server !== undefined) return Promise.resolve(this.boundPort);
    const server = createServer((socket) => this.serve(socket));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        this.server = server;
        const address = server.address();
        this.boundPort = typeof address === 'object' && address !== null ? address.port : port;
        resolve(this.boundPort);
      });
    });
  }

  /** Stops listening and drops every connection, as a broker that goes down. */
  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server === undefined) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const clientHost = `/${socket.remoteAddress ?? 'unknown'}`;
    const queue: Buffer[] = [];
    let pending: Buffer = Buffer.alloc(0);
    let inFlight: Subscription | undefined;
    let busy = false;
    let closed = false;

    const close = () => {
      if (closed) return;
      closed = true;
      inFlight?.unsubscribe();
      this.sockets.delete(socket);
      socket.destroy();
    };

    const next = (): void => {
      while (!busy && !closed) {
        const frame = queue.shift();
        if (frame === undefined) return;
        busy = true;
        let subscribing = true;
        let completedWhileSubscribing = false;
        const subscription = this.respond(frame, clientHost).subscribe({
          next: (response) => {
            if (response !== undefined && !closed) socket.write(response);
          },
          error: () => close(),
          complete: () => {
            if (subscribing) {
              completedWhileSubscribing = true;
              return;
            }
            busy = false;
            inFlight = undefined;
            next();
          },
        });
        subscribing = false;
        if (completedWhileSubscribing) busy = false;
        else inFlight = subscription;
      }
    };

    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        const size = pending.readInt32BE(0);
        if (size < 0 || size > MAX_REQUEST_BYTES) return close();
        if (pending.length < 4 + size) break;
        queue.push(Buffer.from(pending.subarray(4, 4 + size)));
        pending = pending.subarray(4 + size);
      }
      next();
    });
    socket.on('error', close);
    socket.on('close', close);
  }
}
