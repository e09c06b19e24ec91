import { tracingChannel } from 'node:diagnostics_channel';
import { NEVER, of, Subject } from 'rxjs';
import { processRecords, type ConsumerRecord } from '../../src/consumer';
import type { ProcessTrace } from '../../src/diagnostics';

const record = (partition: number, offset: bigint): ConsumerRecord => ({
  topic: 't',
  partition,
  offset,
  timestamp: 0,
  key: null,
  value: Buffer.from(`${partition}:${offset}`),
  headers: [],
  ack: () => undefined,
});

// kafka-rx:process around processRecords' handler: every record's trace ends exactly once, however
// its work ends.
describe('kafka-rx:process', () => {
  const channel = tracingChannel<ProcessTrace<ConsumerRecord>, ProcessTrace<ConsumerRecord>>(
    'kafka-rx:process',
  );
  let events: string[];
  const name = (t: ProcessTrace<ConsumerRecord>) => String(t.record.value);
  const handlers = {
    start: (t: ProcessTrace<ConsumerRecord>) => events.push(`start ${name(t)}`),
    end: (t: ProcessTrace<ConsumerRecord>) => events.push(`end ${name(t)}`),
    asyncStart: (t: ProcessTrace<ConsumerRecord>) => events.push(`asyncStart ${name(t)}`),
    asyncEnd: (t: ProcessTrace<ConsumerRecord>) => events.push(`asyncEnd ${name(t)}`),
    error: (t: ProcessTrace<ConsumerRecord>) => events.push(`error ${name(t)} ${(t.error as Error).message}`),
  };
  beforeEach(() => {
    events = [];
    channel.subscribe(handlers);
  });
  afterEach(() => channel.unsubscribe(handlers));

  it('ends the trace of work cut short by unsubscription', () => {
    const subscription = of(record(0, 5n))
      .pipe(processRecords(() => NEVER))
      .subscribe();
    expect(events).toEqual(['start 0:5', 'end 0:5']);
    subscription.unsubscribe();
    expect(events).toEqual(['start 0:5', 'end 0:5', 'asyncStart 0:5', 'asyncEnd 0:5']);
  });

  it('publishes a failed record once, and ends the other partitions work', () => {
    const failing = new Subject<void>();
    const errors: unknown[] = [];
    of(record(0, 1n), record(1, 1n))
      .pipe(processRecords((r) => (r.partition === 0 ? failing : NEVER), { concurrency: 2 }))
      .subscribe({ error: (e) => errors.push(e) });
    failing.error(new Error('no'));
    expect(errors).toHaveLength(1);
    expect(events).toEqual([
      'start 0:1',
      'end 0:1',
      'start 1:1',
      'end 1:1',
      'error 0:1 no',
      'asyncStart 0:1',
      'asyncStart 1:1',
      'asyncEnd 1:1',
      'asyncEnd 0:1',
    ]);
  });
});
