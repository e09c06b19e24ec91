import { AsyncSubject, Observable, timer, type Subscriber, type Subscription } from 'rxjs';
import type { KafkaRxError } from '../errors';
import { decodeResponse, encodeRequestFrame, readCorrelationId, type Frame } from '../protocol/codec';
import type { ApiSpec } from '../protocol/spec';
import type { RequestOf, ResponseOf } from '../protocol/spec-types';
import { now, type Clock } from '../time/clock';
import { channels, isTraced } from '../diagnostics/channels';
import { payloads, type RequestTrace } from '../diagnostics/payloads';
import { connectionError, framingError, requestTimeoutError, TlsError } from './errors';
import type { FrameChannel } from './frame-channel';
import type { BrokerAddress } from './transport';

export interface ConnectionOptions {
  readonly clock: Clock;
  readonly clientId: string;
  /** Requests written and not yet answered; the rest wait in order. */
  readonly maxInFlightRequests: number;
  readonly requestTimeoutMs: number;
  /** Called when a request completes (answered, written without response, or failed). */
  readonly onRequestDone?: (done: RequestDone) => void;
}

export interface RequestDone {
  readonly api: ApiSpec;
  readonly version: number;
  /** From writing the request to its response (0 when it never was written). */
  readonly latencyMs: number;
  readonly error?: KafkaRxError;
}

export interface SendOptions {
  readonly expectResponse?: boolean;
  readonly timeoutMs?: number;
  /** Written ahead of queued requests, even while the connection is held (re-authentication). */
  readonly urgent?: boolean;
}

interface PendingRequest {
  readonly api: ApiSpec;
  readonly version: number;
  readonly correlationId: number;
  /** Until written: the channel has it then, and a Produce's frame is as large as its batches. */
  frame: Frame | undefined;
  readonly expectResponse: boolean;
  readonly timeoutMs: number;
  /** Undefined once the caller has unsubscribed or been answered: a late response is read and dropped. */
  subscriber: Subscriber<Buffer | undefined> | undefined;
  timer?: Subscription;
  writtenAt?: number;
  /** Its `kafka-rx:request` payload, when someone listened as it was queued. */
  trace?: RequestTrace;
}

/**
 * One connection to a broker over a `FrameChannel`: correlation ids, pipelining of up to
 * `maxInFlightRequests` requests (the rest queue in order), a request timeout on the clock, and a
 * clean error for every waiting request when the channel fails. Kafka answers requests on a
 * connection in order, but responses are matched by correlation id anyway.
 *
 * A request that times out closes the connection (as Kafka's Java client does): the broker is stuck
 * or the network is, and the requests behind it would wait just as long.
 */
export class Connection {
  private nextCorrelationId = 0;
  private readonly inFlight = new Map<number, PendingRequest>();
  private readonly queue: PendingRequest[] = [];
  /** Urgent requests: written before the queue, and while held. */
  private readonly urgentQueue: PendingRequest[] = [];
  private held = false;
  private failure: KafkaRxError | undefined;
  private readonly closedSubject = new AsyncSubject<KafkaRxError>();
  private readonly framesSubscription: Subscription;

  /** Emits once, with the reason, when the connection closes (by either side), then completes. */
  readonly closed$: Observable<KafkaRxError> = this.closedSubject.asObservable();

  constructor(
    readonly broker: BrokerAddress,
    private readonly channel: FrameChannel,
    private readonly options: ConnectionOptions,
  ) {
    this.framesSubscription = channel.frames$.subscribe({
      next: (frame) => this.receive(frame),
      error: (error: unknown) =>
        this.fail(
          // A refused TLS handshake stays what it is: not retriable.
          error instanceof TlsError
            ? error
            : connectionError(
                broker,
                `failed: ${error instanceof Error ? error.message : String(error)}`,
                error,
              ),
        ),
      complete: () => this.fail(connectionError(broker, 'was closed by the broker')),
    });
  }

  get isOpen(): boolean {
    return this.failure === undefined;
  }

  /** Requests written and awaiting a response (including ones whose caller has gone). */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /**
   * Sends a request and emits its response frame (without size prefix), or `undefined` right after
   * writing when no response is expected. Cold: encoded and queued on subscription.
   */
  send<A extends ApiSpec>(
    api: A,
    version: number,
    body: RequestOf<A>,
    options: SendOptions = {},
  ): Observable<Buffer | undefined> {
    return new Observable<Buffer | undefined>((subscriber) => {
      if (this.failure) {
        subscriber.error(this.failure);
        return;
      }
      const correlationId = this.takeCorrelationId();
      const frame = encodeRequestFrame(
        api,
        version,
        { correlationId, clientId: this.options.clientId },
        body,
      );
      const pending: PendingRequest = {
        api,
        version,
        correlationId,
        frame,
        expectResponse: options.expectResponse ?? true,
        timeoutMs: options.timeoutMs ?? this.options.requestTimeoutMs,
        subscriber,
      };
      if (isTraced(channels.request)) {
        const trace = payloads.request(
          api.apiKey,
          api.name,
          version,
          correlationId,
          this.broker,
          this.options.clientId,
        );
        pending.trace = trace;
        channels.request.start.publish(trace);
      }
      (options.urgent ? this.urgentQueue : this.queue).push(pending);
      this.pump();
      if (pending.trace) channels.request.end.publish(pending.trace);
      return () => this.abandon(pending);
    });
  }

  /** Sends a request and emits its decoded response body (`undefined` when none is expected). */
  request<A extends ApiSpec>(
    api: A,
    version: number,
    body: RequestOf<A>,
    options?: SendOptions & { readonly expectResponse?: true },
  ): Observable<ResponseOf<A>>;
  request<A extends ApiSpec>(
    api: A,
    version: number,
    body: RequestOf<A>,
    options?: SendOptions,
  ): Observable<ResponseOf<A> | undefined>;
  request<A extends ApiSpec>(
    api: A,
    version: number,
    body: RequestOf<A>,
    options: SendOptions = {},
  ): Observable<ResponseOf<A> | undefined> {
    return new Observable<ResponseOf<A> | undefined>((subscriber) =>
      this.send(api, version, body, options).subscribe({
        next: (frame) => {
          let decoded: ResponseOf<A> | undefined;
          try {
            decoded = frame === undefined ? undefined : decodeResponse(api, version, frame).body;
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.next(decoded);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
  }

  /**
   * Holds queued requests back (those in flight still get their responses) until `release()`;
   * urgent requests go through. While SASL re-authenticates (KIP-368), no other request may come
   * between its SaslHandshake and SaslAuthenticate, and none is lost: they wait in order.
   */
  hold(): void {
    this.held = true;
  }

  /** Writes what `hold()` kept back. */
  release(): void {
    this.held = false;
    this.pump();
  }

  /** Closes the connection; every waiting request errors with a `ConnectionError`. */
  close(reason: KafkaRxError = connectionError(this.broker, 'was closed by the client')): void {
    this.fail(reason);
  }

  private takeCorrelationId(): number {
    const id = this.nextCorrelationId;
    this.nextCorrelationId = id === 0x7fffffff ? 0 : id + 1;
    return id;
  }

  /** Writes queued requests while there is room in flight. */
  private pump(): void {
    while (this.failure === undefined && this.inFlight.size < this.options.maxInFlightRequests) {
      const pending = this.urgentQueue.shift() ?? (this.held ? undefined : this.queue.shift());
      if (pending === undefined) break;
      pending.writtenAt = now(this.options.clock);
      if (pending.expectResponse) {
        this.inFlight.set(pending.correlationId, pending);
        pending.timer = timer(pending.timeoutMs, this.options.clock).subscribe(() => this.timedOut(pending));
      }
      this.channel.write(pending.frame!);
      pending.frame = undefined;
      if (!pending.expectResponse) this.settle(pending, undefined);
    }
  }

  private receive(frame: Buffer): void {
    if (frame.length < 4) {
      this.fail(framingError(this.broker, `a ${frame.length}-byte frame has no correlation id`));
      return;
    }
    const correlationId = readCorrelationId(frame);
    const pending = this.inFlight.get(correlationId);
    if (pending === undefined) {
      this.fail(
        framingError(this.broker, `response with correlation id ${correlationId} matches no request`),
      );
      return;
    }
    this.inFlight.delete(correlationId);
    pending.timer?.unsubscribe();
    this.settle(pending, frame);
    this.pump();
  }

  /** The caller unsubscribed: forget a queued request; an in-flight one keeps its slot until answered. */
  private abandon(pending: PendingRequest): void {
    if (pending.subscriber === undefined) return;
    pending.subscriber = undefined;
    for (const queue of [this.queue, this.urgentQueue]) {
      const index = queue.indexOf(pending);
      if (index < 0) continue;
      queue.splice(index, 1);
      // Never written, so never settled: its trace ends here, without a result.
      if (pending.trace) {
        channels.request.asyncStart.publish(pending.trace);
        channels.request.asyncEnd.publish(pending.trace);
      }
      return;
    }
  }

  private timedOut(pending: PendingRequest): void {
    const error = requestTimeoutError(this.broker, pending.api.name, pending.timeoutMs);
    this.inFlight.delete(pending.correlationId);
    this.settle(pending, error);
    this.fail(
      connectionError(this.broker, `was closed after a ${pending.api.name} request timed out`, error),
    );
  }

  private settle(pending: PendingRequest, outcome: Buffer | undefined | KafkaRxError): void {
    const subscriber = pending.subscriber;
    pending.subscriber = undefined;
    const failed = outcome instanceof Error;
    const latencyMs = pending.writtenAt === undefined ? 0 : now(this.options.clock) - pending.writtenAt;
    this.options.onRequestDone?.({
      api: pending.api,
      version: pending.version,
      latencyMs,
      ...(failed ? { error: outcome } : {}),
    });
    const trace = pending.trace;
    if (trace) {
      trace.latencyMs = latencyMs;
      if (failed) {
        trace.error = outcome;
        channels.request.error.publish(trace);
      }
      channels.request.asyncStart.publish(trace);
    }
    if (subscriber !== undefined) {
      if (failed) {
        subscriber.error(outcome);
      } else {
        subscriber.next(outcome);
        subscriber.complete();
      }
    }
    if (trace) channels.request.asyncEnd.publish(trace);
  }

  private fail(reason: KafkaRxError): void {
    if (this.failure !== undefined) return;
    this.failure = reason;
    const waiting = [...this.inFlight.values(), ...this.urgentQueue, ...this.queue];
    this.inFlight.clear();
    this.urgentQueue.length = 0;
    this.queue.length = 0;
    this.framesSubscription?.unsubscribe();
    this.channel.close();
    for (const pending of waiting) {
      pending.timer?.unsubscribe();
      this.settle(pending, reason);
    }
    this.closedSubject.next(reason);
    this.closedSubject.complete();
  }
}
