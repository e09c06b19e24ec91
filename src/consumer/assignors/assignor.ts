/** A topic and some of its partitions. */
export interface TopicPartitions {
  readonly topic: string;
  readonly partitions: readonly number[];
}

/** What one member told the group leader in JoinGroup (its ConsumerProtocolSubscription). */
export interface MemberSubscription {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly topics: readonly string[];
  readonly userData: Buffer | null;
  /** Partitions the member holds now (subscription v1+), used by sticky assignors. */
  readonly ownedPartitions: readonly TopicPartitions[];
  /** Generation in which ownedPartitions were assigned (subscription v2+), -1 when unknown. */
  readonly generationId: number;
}

/** The rebalance protocol an assignor supports: eager revokes everything, cooperative only what moves. */
export type RebalanceProtocol = 'eager' | 'cooperative';

/**
 * Chooses which member consumes which partitions. The group leader runs it during SyncGroup.
 * `partitionCounts` holds the number of partitions of every subscribed topic.
 */
export interface Assignor {
  /** The protocol name members agree on in JoinGroup, e.g. `range`, `roundrobin`, `cooperative-sticky`. */
  readonly name: string;
  readonly rebalanceProtocol: RebalanceProtocol;
  assign(
    members: readonly MemberSubscription[],
    partitionCounts: ReadonlyMap<string, number>,
  ): Map<string, TopicPartitions[]>;
  /** Optional user data this member sends with its subscription. */
  userData?(): Buffer | null;
}
