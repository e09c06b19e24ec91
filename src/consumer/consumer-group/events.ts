import type { MembershipEvent } from '../membership/events';
import type { TopicPartition } from '../types';

/**
 * What moves the consumer group protocol's membership: the events the classic one knows that
 * mean the same here (subscribe, close, fatal, poll-timeout, poll-resumed, given-up,
 * request-failed, heartbeat-failed), and the answer of a ConsumerGroupHeartbeat.
 */
export type ConsumerGroupEvent =
  | MembershipEvent
  | {
      readonly type: 'heartbeat-answered';
      /** The epoch the request carried: 0 answers a join. */
      readonly sentEpoch: number;
      readonly memberId: string | null;
      readonly memberEpoch: number;
      readonly heartbeatIntervalMs: number;
      /** The partitions this member may use now, topic ids resolved to names; null when unchanged. */
      readonly assignment: readonly TopicPartition[] | null;
    };
