import { filter, mergeMap, observeOn, of, Subject, takeUntil, type Observable } from 'rxjs';
import { defaultClock, type Clock } from '../time/clock';
import type { FrameChannel } from './frame-channel';
import { connectionDefaults, type ConnectionSettings } from './connection-defaults';
import type { SaslOptions } from './sasl/sasl-options';
import { createFramedTransport } from './framed-transport';
import type { BrokerAddress, FrameHandler, InstrumentedTransport } from './transport';

/** The connection settings and their defaults are those of TCP. */
export interface MemoryTransportOptions extends ConnectionSettings {
  /** The broker side: answers request frames. */
  readonly handler: FrameHandler;
  readonly clock?: Clock;
  /** SASL, as for TCP: the handler then has to speak SaslHandshake and SaslAuthenticate. */
  readonly sasl?: SaslOptions;
  /** For the reconnect jitter, so tests can fix it; `Math.random` by default. */
  readonly random?: () => number;
}

/**
 * A `Transport` whose brokers are a `FrameHandler` in this process: the same framing, correlation,
 * pipelining, negotiation, timeouts and reconnects as TCP, with responses delivered on the clock,
 * so a fake cluster behind it runs in virtual time under a `TestScheduler`.
 *
 * A handler's Observable that errors drops the connection, as a broken socket would.
 */
export function createMemoryTransport(options: MemoryTransportOptions): InstrumentedTransport {
  const clock = options.clock ?? defaultClock;
  return createFramedTransport({
    openChannel: (broker) => of(memoryChannel(broker, options.handler, clock)),
    clock,
    ...connectionDefaults(options),
    random: options.random,
    sasl: options.sasl,
  });
}

function memoryChannel(broker: BrokerAddress, handler: FrameHandler, clock: Clock): FrameChannel {
  const requests = new Subject<Buffer>();
  const closing = new Subject<void>();
  const frames$: Observable<Buffer> = requests.pipe(
    // The handler sees the frame as a broker would after reading it: without the size prefix.
    mergeMap((frame) => handler(broker, frame.subarray(4))),
    filter((response): response is Buffer => response !== undefined),
    // Never answer synchronously inside write(): a real socket cannot either.
    observeOn(clock),
    takeUntil(closing),
  );
  return {
    frames$,
    write: (frame) => requests.next(Buffer.isBuffer(frame) ? frame : Buffer.concat(frame)),
    close: () => {
      closing.next();
      closing.complete();
      requests.complete();
    },
  };
}
