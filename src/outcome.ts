import { Observable, type Observer, type Subscriber, type Subscription, type TeardownLogic } from 'rxjs';

const PENDING = 0;
const RESOLVED = 1;
const REJECTED = 2;

/**
 * An `Eager` result as one object: an Observable that replays its outcome (one value then
 * complete, or the error) to every subscriber, late ones included, and that can be awaited.
 * It is settled by its subclass (`resolve`, `reject`) and builds its value only when someone
 * asks (`value()`), so an outcome nobody looks at costs no more than its fields.
 *
 * No Subject and no promise until asked: the Observable it subscribes through is made on the
 * first subscribe, the promise on the first `then`, so an unobserved failure never becomes an
 * unhandled rejection.
 */
export abstract class Outcome<T> extends Observable<T> implements PromiseLike<T> {
  private state = PENDING;
  private failure: unknown = undefined;
  /** Subscribers waiting for the outcome. */
  private waiting: Subscriber<T>[] | undefined = undefined;
  private view: Observable<T> | undefined = undefined;
  private promise: Promise<T> | undefined = undefined;
  /** The promise's own settling functions, while it waits: an await costs no subscriber. */
  private awaiting: { resolve(value: T): void; reject(error: unknown): void } | undefined = undefined;

  /** The value once resolved; called on each delivery, so a subclass caches what it builds. */
  protected abstract value(): T;

  protected resolve(): void {
    if (this.state !== PENDING) return;
    this.state = RESOLVED;
    const waiting = this.waiting;
    this.waiting = undefined;
    const settle = this.awaiting;
    this.awaiting = undefined;
    // Subscribers may all have left: then no value is built for nobody.
    if (settle === undefined && (waiting === undefined || waiting.length === 0)) return;
    const value = this.value();
    settle?.resolve(value);
    if (waiting === undefined) return;
    for (const subscriber of waiting) {
      subscriber.next(value);
      subscriber.complete();
    }
  }

  protected reject(error: unknown): void {
    if (this.state !== PENDING) return;
    this.state = REJECTED;
    this.failure = error;
    const waiting = this.waiting;
    this.waiting = undefined;
    this.awaiting?.reject(error);
    this.awaiting = undefined;
    if (waiting !== undefined) for (const subscriber of waiting) subscriber.error(error);
  }

  override subscribe(
    observerOrNext?: Partial<Observer<T>> | ((value: T) => void) | null,
    error?: ((error: any) => void) | null,
    complete?: (() => void) | null,
  ): Subscription {
    const view = (this.view ??= new Observable<T>((subscriber) => this.attach(subscriber)));
    if (typeof observerOrNext === 'object' && observerOrNext !== null) return view.subscribe(observerOrNext);
    return view.subscribe({
      next: observerOrNext ?? undefined,
      error: error ?? undefined,
      complete: complete ?? undefined,
    });
  }

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): PromiseLike<R1 | R2> {
    this.promise ??= this.settled();
    return this.promise.then(onFulfilled, onRejected);
  }

  private settled(): Promise<T> {
    if (this.state === RESOLVED) return Promise.resolve(this.value());
    if (this.state === REJECTED) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => (this.awaiting = { resolve, reject }));
  }

  private attach(subscriber: Subscriber<T>): TeardownLogic {
    if (this.state === RESOLVED) {
      subscriber.next(this.value());
      subscriber.complete();
      return undefined;
    }
    if (this.state === REJECTED) {
      subscriber.error(this.failure);
      return undefined;
    }
    (this.waiting ??= []).push(subscriber);
    return () => {
      const at = this.waiting?.indexOf(subscriber) ?? -1;
      if (at >= 0) this.waiting!.splice(at, 1);
    };
  }
}
