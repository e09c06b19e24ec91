import type { Subscription } from 'rxjs';

/** Kafka's RecordState of a record in a share partition (a record without one is Available). */
export type RecordState = 'Available' | 'Acquired' | 'Acknowledged' | 'Archived';

/** A record of a share partition at or after its start offset, as the share partition tracks it. */
export interface InFlightRecord {
  state: RecordState;
  /** Raised at each acquisition: 1 on the first delivery. */
  deliveryCount: number;
  /** The member holding it while Acquired. */
  memberId: string | null;
  /** When its acquisition lock runs out, on the cluster's clock. */
  lockDeadline: number;
  lockTimer?: Subscription;
}

/** Kafka's acknowledge types in ShareFetch and ShareAcknowledge; 0 settles an offset without a record. */
export const AcknowledgeType = { GAP: 0, ACCEPT: 1, RELEASE: 2, REJECT: 3, RENEW: 4 } as const;
