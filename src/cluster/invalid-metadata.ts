import { errorCodeEntry } from '../protocol/errors';

/**
 * Whether a response carries, anywhere in its body, an error code that Kafka marks as invalidating
 * metadata (NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, ...): then the cache is stale.
 * Walks plain objects and arrays only (record batches are Buffers and are skipped).
 */
export function hasInvalidMetadataError(body: unknown): boolean {
  if (Array.isArray(body)) return body.some(hasInvalidMetadataError);
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body)) return false;
  for (const [field, value] of Object.entries(body)) {
    if (field === 'errorCode' && typeof value === 'number') {
      if (value !== 0 && errorCodeEntry(value)?.invalidMetadata) return true;
    } else if (typeof value === 'object' && hasInvalidMetadataError(value)) {
      return true;
    }
  }
  return false;
}
