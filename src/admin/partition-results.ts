import type { KafkaRxError } from '../errors';
import { answerError } from './item-error';
import { findPartition, type PartitionOf } from './topic-partition';

/**
 * One result per item, in the items' order, from a response nested as topics[].partitions[]:
 * `answered` for a partition answered without error, `failed` for one answered with an error or
 * left out of the response (then UNKNOWN_SERVER_ERROR).
 */
export function partitionResults<
  I extends PartitionOf,
  P extends { partitionIndex: number; errorCode: number },
  R,
>(
  items: readonly I[],
  topics: ReadonlyArray<{ name: string; partitions: readonly P[] }>,
  answered: (item: I, answer: P) => R,
  failed: (item: I, error: KafkaRxError) => R,
): R[] {
  return items.map((item) => {
    const answer = findPartition(topics, item.topic, item.partition);
    const error = answerError(answer, `${item.topic}-${item.partition}`);
    return error || !answer ? failed(item, error!) : answered(item, answer);
  });
}
