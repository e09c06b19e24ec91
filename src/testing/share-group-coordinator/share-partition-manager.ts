import type { Clock } from '../../time/clock';
import type { PartitionState } from '../broker-state/topic';
import { SharePartition, type SharePartitionSettings } from './share-partition';
import type { ShareAutoOffsetReset, ShareGroupConfig } from './share-group-config';
import { ShareSessionCache } from './share-session-cache';

/**
 * The share partitions of every share group, their group configs and the share sessions, after
 * Kafka's SharePartitionManager. A share partition starts at its first ShareFetch: at the log
 * end (`share.auto.offset.reset=latest`, Kafka's default) or at the log start (`earliest`).
 */
export class SharePartitionManager {
  private readonly partitions = new Map<string, SharePartition>();
  private readonly groupConfigs = new Map<string, Map<string, string>>();
  readonly sessions = new ShareSessionCache();

  constructor(
    private readonly clock: Clock,
    private readonly config: ShareGroupConfig,
  ) {}

  /** The share partition of a group, created (and its start offset set) on first use. */
  sharePartition(groupId: string, partition: PartitionState): SharePartition {
    const key = `${groupId}\0${partition.topic}\0${partition.index}`;
    let sp = this.partitions.get(key);
    if (sp === undefined) {
      const { log } = partition;
      const start = this.autoOffsetReset(groupId) === 'earliest' ? log.logStartOffset : log.highWatermark;
      sp = new SharePartition(log, start, this.clock, () => this.settings(groupId));
      this.partitions.set(key, sp);
    }
    return sp;
  }

  /** An existing share partition, for a test to inspect. */
  existing(groupId: string, topic: string, partition: number): SharePartition | undefined {
    return this.partitions.get(`${groupId}\0${topic}\0${partition}`);
  }

  /** A member left the group (or its session timed out): its share sessions end, its records are released. */
  releaseMember(groupId: string, memberId: string): void {
    this.sessions.removeMember(groupId, memberId);
    for (const [key, sp] of this.partitions) if (key.startsWith(`${groupId}\0`)) sp.releaseMember(memberId);
  }

  /** A group's configs set with IncrementalAlterConfigs (a share group need not exist yet). */
  configsOf(groupId: string): Map<string, string> {
    let configs = this.groupConfigs.get(groupId);
    if (configs === undefined) {
      configs = new Map();
      this.groupConfigs.set(groupId, configs);
    }
    return configs;
  }

  close(): void {
    for (const sp of this.partitions.values()) sp.close();
  }

  private autoOffsetReset(groupId: string): ShareAutoOffsetReset {
    const value = this.groupConfigs.get(groupId)?.get('share.auto.offset.reset');
    return value === 'earliest' || value === 'latest' ? value : this.config.autoOffsetReset;
  }

  /** The group's lock duration (its config, else the broker's) and the broker's delivery count limit. */
  settings(groupId: string): SharePartitionSettings {
    const lock = this.groupConfigs.get(groupId)?.get('share.record.lock.duration.ms');
    return {
      lockDurationMs: lock === undefined ? this.config.recordLockDurationMs : Number(lock),
      deliveryCountLimit: this.config.deliveryCountLimit,
    };
  }
}
