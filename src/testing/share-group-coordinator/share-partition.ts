import { Subject, Subscription, timer } from 'rxjs';
import { ErrorCode } from '../../protocol/errors';
import { now, type Clock } from '../../time/clock';
import type { PartitionLog } from '../broker-state/partition-log';
import { acquiredRanges, type AcquiredRange } from './acquired-ranges';
import { AcknowledgeType, type InFlightRecord, type RecordState } from './record-state';

/** What a share partition reads of its group's settings at each use (group configs may change). */
export interface SharePartitionSettings {
  readonly lockDurationMs: number;
  readonly deliveryCountLimit: number;
}

/** One AcknowledgementBatch of a request. */
export interface AcknowledgementBatch {
  readonly firstOffset: bigint;
  readonly lastOffset: bigint;
  readonly acknowledgeTypes: readonly number[];
}

/** What one member acquired in one ShareFetch: whole batches from the log, and the offsets it holds in them. */
export interface Acquisition {
  readonly records: Buffer;
  readonly ranges: AcquiredRange[];
}

/** A share partition as a test sees it. */
export interface SharePartitionDescription {
  /** The share-partition start offset (SPSO): every record below it is done with. */
  readonly startOffset: bigint;
  readonly records: ReadonlyArray<{
    offset: bigint;
    state: RecordState;
    deliveryCount: number;
    memberId: string | null;
  }>;
}

const EMPTY = Buffer.alloc(0);

/**
 * One topic-partition as one share group consumes it, after Kafka's SharePartition: a start offset
 * (SPSO) and the state of each record from there (Available, Acquired by a member under a lock on
 * the clock, Acknowledged, Archived). Acquiring raises the delivery count; a release or an expired
 * lock makes a record Available again, or Archived once it reached the delivery count limit. The
 * start offset moves past the records at its front that are done with.
 */
export class SharePartition {
  private readonly inFlight = new Map<bigint, InFlightRecord>();
  private readonly timers = new Subscription();
  /** Emits when records become Available again, so waiting ShareFetch requests can answer. */
  readonly released$ = new Subject<void>();

  constructor(
    private readonly log: PartitionLog,
    private startOffset: bigint,
    private readonly clock: Clock,
    private readonly settings: () => SharePartitionSettings,
  ) {}

  /**
   * Acquires Available records for `memberId`, in offset order: at most `maxRecords` in record-limit
   * mode (`batchMode` false); in batch mode whole batches, stopping once `maxRecords` is reached.
   * Batches past the first stop at `maxBytes`.
   */
  acquire(memberId: string, maxRecords: number, batchMode: boolean, maxBytes: number): Acquisition {
    this.followLogStart();
    const at = now(this.clock);
    const { lockDurationMs } = this.settings();
    const acquired: Array<{ offset: bigint; deliveryCount: number }> = [];
    const parts: Buffer[] = [];
    let bytes = 0;
    for (const batch of this.log.batchesFrom(this.startOffset)) {
      if (batch.lastOffset >= this.log.highWatermark || acquired.length >= maxRecords) break;
      if (parts.length > 0 && bytes + batch.bytes.length > maxBytes) break;
      const first = batch.baseOffset < this.startOffset ? this.startOffset : batch.baseOffset;
      let taken = false;
      for (let o = first; o <= batch.lastOffset; o++) {
        if (!batchMode && acquired.length >= maxRecords) break;
        const r = this.inFlight.get(o);
        if (r !== undefined && r.state !== 'Available') continue;
        const record: InFlightRecord = r ?? {
          state: 'Available',
          deliveryCount: 0,
          memberId: null,
          lockDeadline: 0,
        };
        record.state = 'Acquired';
        record.deliveryCount += 1;
        record.memberId = memberId;
        record.lockDeadline = at + lockDurationMs;
        this.inFlight.set(o, record);
        acquired.push({ offset: o, deliveryCount: record.deliveryCount });
        taken = true;
      }
      if (taken) {
        parts.push(batch.bytes);
        bytes += batch.bytes.length;
      }
    }
    if (acquired.length > 0)
      this.lock(
        memberId,
        acquired.map((a) => a.offset),
        lockDurationMs,
      );
    return {
      records: parts.length === 0 ? EMPTY : parts.length === 1 ? parts[0] : Buffer.concat(parts, bytes),
      ranges: acquiredRanges(acquired),
    };
  }

  /**
   * Applies a member's acknowledgement batches, all or none: every offset must be Acquired by the
   * member (INVALID_RECORD_STATE otherwise); a renewal needs `isRenewAck`. Returns the error code.
   */
  acknowledge(memberId: string, batches: readonly AcknowledgementBatch[], isRenewAck: boolean): number {
    const changes: Array<[bigint, number]> = [];
    for (const b of batches) {
      const count = b.lastOffset - b.firstOffset + 1n;
      if (count < 1n || (b.acknowledgeTypes.length !== 1 && BigInt(b.acknowledgeTypes.length) !== count))
        return ErrorCode.INVALID_REQUEST;
      for (let o = b.firstOffset; o <= b.lastOffset; o++) {
        const type =
          b.acknowledgeTypes.length === 1
            ? b.acknowledgeTypes[0]
            : b.acknowledgeTypes[Number(o - b.firstOffset)];
        if (type < AcknowledgeType.GAP || type > AcknowledgeType.RENEW) return ErrorCode.INVALID_REQUEST;
        if (type === AcknowledgeType.RENEW && !isRenewAck) return ErrorCode.INVALID_REQUEST;
        const r = this.inFlight.get(o);
        if (r === undefined || r.state !== 'Acquired' || r.memberId !== memberId)
          return ErrorCode.INVALID_RECORD_STATE;
        changes.push([o, type]);
      }
    }
    const renewed: bigint[] = [];
    let released = false;
    for (const [offset, type] of changes) {
      const r = this.inFlight.get(offset)!;
      if (type === AcknowledgeType.RENEW) renewed.push(offset);
      else if (type === AcknowledgeType.RELEASE) released = this.release(r) || released;
      else this.settle(r, type === AcknowledgeType.REJECT ? 'Archived' : 'Acknowledged');
    }
    if (renewed.length > 0) {
      const { lockDurationMs } = this.settings();
      for (const o of renewed) this.inFlight.get(o)!.lockDeadline = now(this.clock) + lockDurationMs;
      this.lock(memberId, renewed, lockDurationMs);
    }
    this.advance();
    if (released) this.released$.next();
    return ErrorCode.NONE;
  }

  /** Releases every record `memberId` holds here (its share session ended, or it left the group). */
  releaseMember(memberId: string): void {
    let released = false;
    for (const r of this.inFlight.values())
      if (r.state === 'Acquired' && r.memberId === memberId) released = this.release(r) || released;
    this.advance();
    if (released) this.released$.next();
  }

  describe(): SharePartitionDescription {
    this.followLogStart();
    return {
      startOffset: this.startOffset,
      records: [...this.inFlight]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([offset, r]) => ({
          offset,
          state: r.state,
          deliveryCount: r.deliveryCount,
          memberId: r.memberId,
        })),
    };
  }

  close(): void {
    this.timers.unsubscribe();
    this.released$.complete();
  }

  /** One timer for the records locked together; a renewal sets a later deadline, which this timer then leaves alone. */
  private lock(memberId: string, offsets: readonly bigint[], lockDurationMs: number): void {
    const sub = timer(lockDurationMs, this.clock).subscribe(() => {
      this.timers.remove(sub);
      const at = now(this.clock);
      let released = false;
      for (const o of offsets) {
        const r = this.inFlight.get(o);
        if (r !== undefined && r.state === 'Acquired' && r.memberId === memberId && r.lockDeadline <= at)
          released = this.release(r) || released;
      }
      this.advance();
      if (released) this.released$.next();
    });
    this.timers.add(sub);
  }

  /** Back to Available, or Archived at the delivery count limit; true when Available. */
  private release(r: InFlightRecord): boolean {
    if (r.deliveryCount >= this.settings().deliveryCountLimit) {
      this.settle(r, 'Archived');
      return false;
    }
    r.state = 'Available';
    r.memberId = null;
    return true;
  }

  private settle(r: InFlightRecord, state: 'Acknowledged' | 'Archived'): void {
    r.state = state;
    r.memberId = null;
  }

  /** Moves the start offset past the records at the front that are done with. */
  private advance(): void {
    for (;;) {
      const r = this.inFlight.get(this.startOffset);
      if (r === undefined || (r.state !== 'Acknowledged' && r.state !== 'Archived')) return;
      this.inFlight.delete(this.startOffset);
      this.startOffset += 1n;
    }
  }

  /** Records deleted from the log (DeleteRecords) are gone for the share group too. */
  private followLogStart(): void {
    const logStart = this.log.logStartOffset;
    if (this.startOffset >= logStart) return;
    for (const o of [...this.inFlight.keys()]) if (o < logStart) this.inFlight.delete(o);
    this.startOffset = logStart;
    this.advance();
  }
}
