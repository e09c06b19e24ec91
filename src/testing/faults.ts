import type { ApiSpec } from '../protocol/spec';

/** An API by its key, or by its spec (`Produce`, `Heartbeat`, ...). */
export type ApiRef = number | Pick<ApiSpec, 'apiKey'>;

function keyOf(api: ApiRef): number {
  return typeof api === 'number' ? api : api.apiKey;
}

interface PushedError {
  readonly errorCode: number;
  readonly broker: number | undefined;
  remaining: number;
}

/** Which heartbeats to lose: a member id, or a test on the heartbeat's group and member. */
export type HeartbeatFilter = string | ((memberId: string, groupId: string) => boolean);

/**
 * Faults a test injects into a fake cluster: errors answered instead of handling a request,
 * delays before handling, and heartbeats lost on the way to the coordinator.
 */
export class Faults {
  private readonly errors = new Map<number, PushedError[]>();
  private readonly delays = new Map<number, number>();
  private readonly heartbeatFilters = new Set<(memberId: string, groupId: string) => boolean>();

  /**
   * The next `count` (default 1) requests of this API, to any broker or to `broker` only, are
   * answered with `errorCode` wherever the response has an error code, without being handled.
   * Pushed errors are used in the order pushed.
   */
  pushError(api: ApiRef, errorCode: number, options: { broker?: number; count?: number } = {}): void {
    const key = keyOf(api);
    const list = this.errors.get(key) ?? [];
    list.push({ errorCode, broker: options.broker, remaining: options.count ?? 1 });
    this.errors.set(key, list);
  }

  /** Requests of this API wait `ms` on the cluster's clock before they are handled. Returns an undo. */
  delay(api: ApiRef, ms: number): () => void {
    const key = keyOf(api);
    this.delays.set(key, ms);
    return () => {
      if (this.delays.get(key) === ms) this.delays.delete(key);
    };
  }

  /**
   * Heartbeats matching `filter` are lost: never handled (the member's session is not renewed)
   * and never answered, as if the network dropped them. Returns an undo.
   */
  dropHeartbeats(filter: HeartbeatFilter): () => void {
    const test = typeof filter === 'string' ? (memberId: string) => memberId === filter : filter;
    this.heartbeatFilters.add(test);
    return () => void this.heartbeatFilters.delete(test);
  }

  /** Forgets every fault. */
  clear(): void {
    this.errors.clear();
    this.delays.clear();
    this.heartbeatFilters.clear();
  }

  /** The error to answer a request to `broker` with, consuming it; undefined to handle the request. */
  takeError(apiKey: number, broker: number): number | undefined {
    const list = this.errors.get(apiKey);
    const index = list?.findIndex((e) => e.broker === undefined || e.broker === broker) ?? -1;
    if (list === undefined || index < 0) return undefined;
    const pushed = list[index];
    pushed.remaining -= 1;
    if (pushed.remaining <= 0) list.splice(index, 1);
    return pushed.errorCode;
  }

  delayOf(apiKey: number): number {
    return this.delays.get(apiKey) ?? 0;
  }

  dropsHeartbeat(memberId: string, groupId: string): boolean {
    for (const test of this.heartbeatFilters) if (test(memberId, groupId)) return true;
    return false;
  }
}
