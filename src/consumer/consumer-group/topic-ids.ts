import { map, type Observable, of, take } from 'rxjs';
import type { Cluster, ClusterMetadata } from '../../cluster/cluster';
import { groupByTopic, sortPartitions } from '../topic-partition';
import type { TopicPartition } from '../types';

/** Partitions of one topic, named by its id, as ConsumerGroupHeartbeat carries them. */
export interface TopicIdPartitions {
  readonly topicId: string;
  readonly partitions: readonly number[];
}

/**
 * Topic ids and names of the subscribed topics, learnt from metadata: the coordinator assigns
 * partitions by topic id, the rest of the consumer (fetch, commit, the application) names topics.
 */
export class TopicIds {
  private readonly names = new Map<string, string>();
  private readonly ids = new Map<string, string>();
  /** The last assignment with ids metadata did not know: resolved again at later heartbeats. */
  private unresolved: readonly TopicIdPartitions[] | null = null;

  constructor(
    private readonly cluster: Cluster,
    private readonly subscription: readonly string[] | RegExp,
  ) {}

  /** The partitions named by topic name; ids not in metadata even after a refresh are left out (and returned apart). */
  names$(assigned: readonly TopicIdPartitions[]): Observable<{
    partitions: TopicPartition[];
    unknownTopicIds: string[];
  }> {
    const resolve = () => {
      const partitions: TopicPartition[] = [];
      const unknownTopicIds: string[] = [];
      for (const t of assigned) {
        const topic = this.names.get(t.topicId);
        if (topic === undefined) unknownTopicIds.push(t.topicId);
        else for (const partition of t.partitions) partitions.push({ topic, partition });
      }
      // The coordinator sends an assignment only when it changes: keep it until every id is known.
      this.unresolved = unknownTopicIds.length > 0 ? assigned : null;
      return { partitions: sortPartitions(partitions), unknownTopicIds };
    };
    if (assigned.every((t) => this.names.has(t.topicId))) return of(resolve());
    // A topic created (or matched by the pattern) since the last metadata: ask again.
    return this.learning(this.cluster.refreshMetadata(this.subscription), resolve);
  }

  /** The last assignment that had ids metadata did not know, if any (to resolve again). */
  pending(): readonly TopicIdPartitions[] | null {
    return this.unresolved;
  }

  /** The partitions named by topic id, for the heartbeat's owned partitions. */
  ids$(owned: readonly TopicPartition[]): Observable<TopicIdPartitions[]> {
    const toIds = () =>
      groupByTopic(sortPartitions(owned)).flatMap(({ topic, items }) => {
        const topicId = this.ids.get(topic);
        return topicId === undefined ? [] : [{ topicId, partitions: items.map((tp) => tp.partition) }];
      });
    if (owned.every((tp) => this.ids.has(tp.topic))) return of(toIds());
    return this.learning(this.cluster.metadata(this.subscription), toIds);
  }

  /** `resolve`'s answer once the first metadata of `metadata$` has been learnt. */
  private learning<T>(metadata$: Observable<ClusterMetadata>, resolve: () => T): Observable<T> {
    return metadata$.pipe(
      take(1),
      map((metadata) => {
        this.learn(metadata);
        return resolve();
      }),
    );
  }

  private learn(metadata: ClusterMetadata): void {
    for (const t of metadata.topics.values()) {
      if (t.topicId === undefined) continue;
      this.names.set(t.topicId, t.name);
      this.ids.set(t.name, t.topicId);
    }
  }
}
