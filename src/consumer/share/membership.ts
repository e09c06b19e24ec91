import type { KafkaRxError } from '../../errors';
import type { TopicPartition } from '../types';

/**
 * Where a share group member stands (KIP-932). Simpler than a consumer group: partitions are
 * shared, so nothing is revoked or committed when the assignment changes; the member just
 * fetches from what it is given now.
 * - `unjoined`: before subscribing;
 * - `joining`: ShareGroupHeartbeat with member epoch 0 sent (after a backoff on retries);
 * - `stable`: heartbeating at the coordinator's interval; fetching from `assignment`;
 * - `closed`: done; on entry a member the coordinator knows leaves with epoch -1.
 */
export interface ShareMembership {
  readonly phase: 'unjoined' | 'joining' | 'stable' | 'closed';
  /** Changes whenever the effects of a phase must start again (a new join attempt, a new interval). */
  readonly seq: number;
  /** Made up by the client (a UUID) and kept for the consumer's life. */
  readonly memberId: string;
  readonly memberEpoch: number;
  readonly heartbeatIntervalMs: number;
  readonly assignment: readonly TopicPartition[];
  /** Join attempts that failed in a row (for the backoff). */
  readonly attempt: number;
  readonly reason: string;
  readonly error: KafkaRxError | null;
  /** On entering `closed`: send the leaving heartbeat. */
  readonly leaveGroup: boolean;
}

/** What moves a share membership. */
export type ShareMembershipEvent =
  | { readonly type: 'subscribe' }
  | { readonly type: 'close' }
  | { readonly type: 'fatal'; readonly error: KafkaRxError }
  | {
      readonly type: 'heartbeat-answered';
      /** The epoch the request carried: 0 answers a join. */
      readonly sentEpoch: number;
      readonly memberEpoch: number;
      readonly heartbeatIntervalMs: number;
      /** The partitions assigned now, topic ids resolved to names; null when unchanged. */
      readonly assignment: readonly TopicPartition[] | null;
    }
  | { readonly type: 'heartbeat-failed'; readonly errorCode: number; readonly errorMessage: string | null }
  | { readonly type: 'request-failed'; readonly error: KafkaRxError };

/** Member epochs with a meaning of their own in ShareGroupHeartbeat. */
export const ShareMemberEpoch = { JOIN: 0, LEAVE: -1 } as const;

export function initialShareMembership(memberId: string): ShareMembership {
  return {
    phase: 'unjoined',
    seq: 0,
    memberId,
    memberEpoch: ShareMemberEpoch.JOIN,
    heartbeatIntervalMs: 5000,
    assignment: [],
    attempt: 0,
    reason: 'not subscribed',
    error: null,
    leaveGroup: false,
  };
}
