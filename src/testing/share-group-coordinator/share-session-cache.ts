import { ErrorCode } from '../../protocol/errors';

/** Share session epochs with a meaning of their own (Kafka's ShareRequestMetadata). */
export const ShareSessionEpoch = { INITIAL: 0, FINAL: -1 } as const;

/** A share session: one member's fetch context on one broker, its partitions named `topicId:partition`. */
export interface ShareSession {
  readonly nodeId: number;
  readonly groupId: string;
  readonly memberId: string;
  /** The epoch the next request must carry. */
  epoch: number;
  readonly partitions: Set<string>;
}

/** What a request's epoch does to its session: an error, or the session to use (and whether it ends). */
export type SessionVerdict =
  | { readonly errorCode: number }
  | { readonly errorCode: 0; readonly session: ShareSession; readonly final: boolean };

/**
 * The share sessions of the fake brokers, after Kafka's ShareSessionCache: epoch 0 opens a session
 * (replacing the member's old one on that broker), -1 closes it, any other epoch must be the
 * session's next one (INVALID_SHARE_SESSION_EPOCH), of a session that exists (SHARE_SESSION_NOT_FOUND).
 */
export class ShareSessionCache {
  private readonly sessions = new Map<string, ShareSession>();

  /** Checks a request's epoch against the member's session on `nodeId`; epoch 0 opens a new one. */
  open(nodeId: number, groupId: string, memberId: string, epoch: number, canOpen: boolean): SessionVerdict {
    const key = keyOf(nodeId, groupId, memberId);
    const current = this.sessions.get(key);
    if (epoch === ShareSessionEpoch.INITIAL) {
      if (!canOpen) return { errorCode: ErrorCode.INVALID_SHARE_SESSION_EPOCH };
      const session: ShareSession = { nodeId, groupId, memberId, epoch: 0, partitions: new Set() };
      this.sessions.set(key, session);
      return { errorCode: ErrorCode.NONE, session, final: false };
    }
    if (current === undefined) return { errorCode: ErrorCode.SHARE_SESSION_NOT_FOUND };
    if (epoch === ShareSessionEpoch.FINAL)
      return { errorCode: ErrorCode.NONE, session: current, final: true };
    if (epoch !== current.epoch) return { errorCode: ErrorCode.INVALID_SHARE_SESSION_EPOCH };
    return { errorCode: ErrorCode.NONE, session: current, final: false };
  }

  /** A request was answered: the session expects the next epoch, or is gone after a final one. */
  done(session: ShareSession, final: boolean): void {
    if (final) this.sessions.delete(keyOf(session.nodeId, session.groupId, session.memberId));
    else session.epoch = session.epoch >= 0x7fffffff ? 1 : session.epoch + 1;
  }

  /** Removes a member's sessions on every broker (it left the group); returns them. */
  removeMember(groupId: string, memberId: string): ShareSession[] {
    const removed = [...this.sessions.values()].filter(
      (s) => s.groupId === groupId && s.memberId === memberId,
    );
    for (const s of removed) this.sessions.delete(keyOf(s.nodeId, groupId, memberId));
    return removed;
  }
}

function keyOf(nodeId: number, groupId: string, memberId: string): string {
  return `${nodeId}\0${groupId}\0${memberId}`;
}
