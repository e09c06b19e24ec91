import { KafkaRxError } from '../../errors';

/** close() in explicit acknowledgement mode found records handed out and never accepted, released or rejected. */
export class UnacknowledgedRecordsError extends KafkaRxError {
  constructor(readonly records: readonly string[]) {
    const shown = records.slice(0, 10).join(', ');
    super(
      'UnacknowledgedRecordsError',
      `${records.length} record(s) were never acknowledged (explicit acknowledgementMode needs accept(), release() or reject() for each): ${shown}${records.length > 10 ? ', ...' : ''}; they were released`,
    );
  }
}
