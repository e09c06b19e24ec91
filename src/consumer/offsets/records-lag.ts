import { sortPartitions } from '../topic-partition';
import type { RecordsLag } from '../types';
import type { PartitionRegistry } from './partition-registry';

/** The lag of every owned partition whose end (from a Fetch response) and delivery position are known. */
export function recordsLag(registry: PartitionRegistry): RecordsLag[] {
  const lags: RecordsLag[] = [];
  for (const state of registry.all()) {
    const position = state.deliveryPosition;
    if (state.revoked || position === null || state.endOffset === null) continue;
    const highWatermark = state.endOffset;
    lags.push({
      topic: state.topic,
      partition: state.partition,
      position,
      highWatermark,
      lag: highWatermark - position,
    });
  }
  return sortPartitions(lags);
}
