export { deadLetter, type DeadLetterOptions } from './dead-letter';
export { deadLetterHeaders } from './dead-letter-headers';
export {
  processWithRetries,
  type Deserialized,
  type ProcessWithRetriesOptions,
} from './process-with-retries';
export { ProcessingFailure } from './processing-failure';
