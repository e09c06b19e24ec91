import { isIP, Socket, connect as netConnect } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { Duplex } from 'node:stream';
import { Observable, Subject } from 'rxjs';
import { connectionError, framingError, tlsError } from './errors';
import type { FrameChannel } from './frame-channel';
import { FrameReader } from './frame-reader';
import type { BrokerAddress } from './transport';

export interface TcpChannelOptions {
  /** TLS options (`ca`, `cert`, `key`, `servername`, `rejectUnauthorized`, ...), or `true` for the defaults. */
  readonly tls?: TlsConnectionOptions | true;
  /** Makes the underlying connection instead of `net.connect` (proxies, fault injection). */
  readonly socketFactory?: (broker: BrokerAddress) => Socket | Duplex;
}

/** Socket error codes worth saying in words. */
const REASONS: Record<string, string> = {
  ENOTFOUND: 'failed: unknown host',
  EAI_AGAIN: 'failed: the host name could not be resolved',
  ECONNREFUSED: 'was refused',
  ECONNRESET: 'was reset',
  EHOSTUNREACH: 'failed: host unreachable',
  ENETUNREACH: 'failed: network unreachable',
  ETIMEDOUT: 'timed out',
};

/** Certificate and handshake failures, as opposed to the network failing under TLS. */
function isTlsFailure(error: NodeJS.ErrnoException): boolean {
  const code = error.code ?? '';
  return (
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|^ERR_TLS_|^ERR_SSL_/.test(code) ||
    /SSL routines/.test(error.message)
  );
}

function describeSocketError(error: NodeJS.ErrnoException): string {
  const reason = (error.code && REASONS[error.code]) ?? 'failed';
  return `${reason} (${error.message})`;
}

/**
 * Opens a TCP (or TLS) connection to a broker as a `FrameChannel`. Emits the channel once connected
 * (after the TLS handshake), then completes; errors with a `ConnectionError` when it cannot connect.
 * Unsubscribing before then destroys the socket. Connect timeouts are the caller's (on its clock).
 */
export function openTcpChannel(
  broker: BrokerAddress,
  options: TcpChannelOptions = {},
): Observable<FrameChannel> {
  return new Observable<FrameChannel>((subscriber) => {
    let socket: Duplex;
    let readyEvent: string;
    const tls = options.tls === true ? {} : options.tls;
    try {
      const base = options.socketFactory?.(broker);
      if (tls !== undefined) {
        socket = tlsConnect({
          ...(base ? { socket: base } : { host: broker.host, port: broker.port }),
          // SNI takes host names only; without it the certificate is checked against the host given.
          servername: isIP(broker.host) ? undefined : broker.host,
          ...tls,
        });
        readyEvent = 'secureConnect';
      } else if (base !== undefined) {
        socket = base;
        readyEvent = base instanceof Socket && base.connecting ? 'connect' : '';
      } else {
        socket = netConnect({ host: broker.host, port: broker.port });
        readyEvent = 'connect';
      }
    } catch (error) {
      subscriber.error(connectionError(broker, `failed: ${(error as Error).message}`, error));
      return;
    }

    let opened = false;
    const onError = (error: NodeJS.ErrnoException): void => {
      subscriber.error(
        tls !== undefined && isTlsFailure(error)
          ? tlsError(broker, error)
          : connectionError(broker, describeSocketError(error), error),
      );
    };
    const onClose = (): void => subscriber.error(connectionError(broker, 'was closed before it opened'));
    const onOpen = (): void => {
      opened = true;
      socket.off('error', onError);
      socket.off('close', onClose);
      if (socket instanceof Socket) socket.setNoDelay(true);
      subscriber.next(frameChannel(broker, socket, tls !== undefined));
      subscriber.complete();
    };
    socket.once('error', onError);
    socket.once('close', onClose);
    if (readyEvent) socket.once(readyEvent, onOpen);
    else onOpen();

    return () => {
      if (!opened) socket.destroy();
    };
  });
}

/**
 * Frames over an open socket. Under TLS 1.3 a broker that refuses the client's certificate (or has
 * none from it) says so only after the handshake, with an alert: that is a `TlsError` too.
 */
function frameChannel(broker: BrokerAddress, socket: Duplex, tls: boolean): FrameChannel {
  const frames = new Subject<Buffer>();
  const reader = new FrameReader();
  let done = false;
  const finish = (error?: Error): void => {
    if (done) return;
    done = true;
    if (error) frames.error(error);
    else frames.complete();
    socket.destroy();
  };
  socket.on('data', (chunk: Buffer) => {
    let received: Buffer[];
    try {
      received = reader.push(chunk);
    } catch (error) {
      finish(framingError(broker, (error as Error).message));
      return;
    }
    for (const frame of received) {
      if (done) return;
      frames.next(frame);
    }
  });
  socket.on('error', (error: NodeJS.ErrnoException) =>
    finish(
      tls && isTlsFailure(error)
        ? tlsError(broker, error)
        : connectionError(broker, describeSocketError(error), error),
    ),
  );
  socket.on('close', () => finish());
  return {
    frames$: frames.asObservable(),
    write: (frame) => {
      if (done) return;
      if (Buffer.isBuffer(frame)) {
        socket.write(frame);
        return;
      }
      // Corked, the pieces leave in one writev: no copy of the batches among them.
      socket.cork();
      for (const piece of frame) socket.write(piece);
      socket.uncork();
    },
    close: () => finish(),
  };
}
