import { ErrorCode } from '../../protocol/errors';
import { tpKey } from '../topic-partition';
import type { TopicPartition } from '../types';

/** One partition as a Fetch request asks for it. */
export interface FetchPartition extends TopicPartition {
  readonly fetchOffset: bigint;
  readonly maxBytes: number;
}

/** What the next Fetch request to a broker carries. */
export interface FetchSessionRequest {
  readonly sessionId: number;
  readonly sessionEpoch: number;
  /** Partitions to send: all of them in a full request, only added or changed ones in an incremental one. */
  readonly partitions: readonly FetchPartition[];
  /** Partitions to drop from the session (incremental requests only). */
  readonly forgotten: readonly TopicPartition[];
}

/** Epoch -1 asks for a full fetch without a session (Fetch v7+). */
const SESSIONLESS_EPOCH = -1;

/**
 * A fetch session with one broker (KIP-227, Fetch v7+). The first request is full and asks for a
 * session (id 0, epoch 0); once the broker gives an id, later requests are incremental: only
 * partitions whose fetch offset changed, or that joined, are sent, and partitions no longer wanted
 * (paused, full buffer, revoked) are listed as forgotten. Any session error starts over.
 */
export class FetchSession {
  private sessionId = 0;
  private epoch = 0;
  /** The partitions the broker holds in the session, as last sent. */
  private inSession = new Map<string, FetchPartition>();
  private pending: Map<string, FetchPartition> | null = null;
  private pendingFull = false;

  /** Builds the request for the partitions wanted now, for a broker speaking Fetch `version`. */
  next(wanted: readonly FetchPartition[], version: number): FetchSessionRequest {
    const wantedByKey = new Map(wanted.map((p) => [tpKey(p), p]));
    this.pending = wantedByKey;
    if (version < 7) {
      this.pendingFull = true;
      return { sessionId: 0, sessionEpoch: SESSIONLESS_EPOCH, partitions: wanted, forgotten: [] };
    }
    if (this.sessionId === 0) {
      this.pendingFull = true;
      return { sessionId: 0, sessionEpoch: 0, partitions: wanted, forgotten: [] };
    }
    this.pendingFull = false;
    const changed = wanted.filter((p) => {
      const before = this.inSession.get(tpKey(p));
      return !before || before.fetchOffset !== p.fetchOffset || before.maxBytes !== p.maxBytes;
    });
    const forgotten = [...this.inSession.entries()]
      .filter(([k]) => !wantedByKey.has(k))
      .map(([, p]) => ({ topic: p.topic, partition: p.partition }));
    return { sessionId: this.sessionId, sessionEpoch: this.epoch, partitions: changed, forgotten };
  }

  /** Takes the response's top-level error code and session id. Returns false when the session broke (fetch again, in full). */
  handleResponse(errorCode: number, sessionId: number): boolean {
    if (
      errorCode === ErrorCode.FETCH_SESSION_ID_NOT_FOUND ||
      errorCode === ErrorCode.INVALID_FETCH_SESSION_EPOCH
    ) {
      this.reset();
      return false;
    }
    if (errorCode !== 0) {
      this.reset();
      return true;
    }
    if (this.pendingFull) {
      this.sessionId = sessionId;
      this.epoch = 1;
    } else {
      this.epoch = this.epoch >= 0x7fffffff ? 1 : this.epoch + 1;
    }
    if (this.sessionId === 0) this.inSession.clear();
    else if (this.pending) this.inSession = this.pending;
    this.pending = null;
    return true;
  }

  /** Forgets the session (after an error or a cancelled request): the next request is full. */
  reset(): void {
    this.sessionId = 0;
    this.epoch = 0;
    this.inSession.clear();
    this.pending = null;
  }

  /** The session id, 0 when there is none (for tests and events). */
  get id(): number {
    return this.sessionId;
  }
}
