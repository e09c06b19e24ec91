import type { KafkaRxError } from '../../errors';
import type { TopicPartition } from '../types';
import type { JoinedMember } from './state';

/** Everything that moves the membership state machine. Responses arrive as events; so do the application's wishes. */
export type MembershipEvent =
  /** The application subscribed: join the group. */
  | { readonly type: 'subscribe' }
  /** JoinGroup succeeded. */
  | {
      readonly type: 'joined';
      readonly memberId: string;
      readonly generationId: number;
      readonly leader: string;
      readonly protocolName: string | null;
      readonly members: readonly JoinedMember[];
    }
  /** JoinGroup answered with an error code; `memberId` is the id the coordinator gave with MEMBER_ID_REQUIRED. */
  | { readonly type: 'join-failed'; readonly errorCode: number; readonly memberId?: string }
  /** SyncGroup succeeded with this member's assignment. */
  | { readonly type: 'synced'; readonly assignment: readonly TopicPartition[] }
  | { readonly type: 'sync-failed'; readonly errorCode: number }
  | { readonly type: 'heartbeat-failed'; readonly errorCode: number; readonly errorMessage?: string | null }
  /** The current step's request failed without an answer (connection, timeout): retry with backoff. */
  | { readonly type: 'request-failed'; readonly error: KafkaRxError }
  /** The subscription changed (a topic matching the pattern appeared) or partitions were added: rebalance. */
  | { readonly type: 'rejoin'; readonly reason: string }
  /** The `rebalancing` phase finished committing and revoking. */
  | { readonly type: 'given-up' }
  /** The application took no waiting record for maxPollIntervalMs. */
  | { readonly type: 'poll-timeout' }
  /** The application takes records again after a poll timeout. */
  | { readonly type: 'poll-resumed' }
  /** Fatal error from outside the group protocol. */
  | { readonly type: 'fatal'; readonly error: KafkaRxError }
  | { readonly type: 'close' };
