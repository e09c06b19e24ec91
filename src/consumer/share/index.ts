export { createShareConsumer } from './create-share-consumer';
export type { ShareConsumerConfig } from './config';
export { UnacknowledgedRecordsError } from './errors';
export type {
  AcknowledgementResult,
  AcknowledgeType,
  RecordAcknowledgement,
  ShareConsumer,
  ShareConsumerEvent,
  ShareRecord,
  ShareSettling,
  UndeserializedShareRecord,
  DeliveredShareRecord,
} from './types';
