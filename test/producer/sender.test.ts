import fc from 'fast-check';
import { interval } from 'rxjs';
import { map, mergeMap, take } from 'rxjs/operators';
import { TestScheduler } from 'rxjs/testing';
import { createProducerOn, type ProducerRecord } from '../../src/producer';
import { ErrorCode } from '../../src/protocol/errors';
import { jitteryClock, seeded } from '../support/jittery-clock';
import { ScriptedProducerCluster, type ProduceFault } from '../support/scripted-producer-cluster';

// Every batch must be sent without flush(): whatever makes a batch sendable (its linger time, a
// full batch, an answer freeing an in-flight slot, a retry backoff, a producer id) has to wake the
// sender, even when the clock's timers fire a millisecond before now() says their time has come.

describe('the sender wakes for every sendable batch, without flush', () => {
  // Which timers fire early decides which batches are left with nothing appended after them; a
  // spread of patterns covers the cases (a last batch whose linger timer fired early among them).
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])(
    'sends the last batches of a demo-like run: 6 partitions, keyed records, 8 sends at a time, defaults (jitter %i)',
    (seed) => {
      const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
      scheduler.run(({ flush }) => {
        const random = seeded(seed);
        const clock = jitteryClock(scheduler, () => random() < 0.5);
        const cluster = new ScriptedProducerCluster({ clock, topics: { orders: 6 }, rttMs: 2 });
        // createProducer's defaults: idempotent, acks all, lingerMs 5, batchBytes 16384.
        const producer = createProducerOn({ brokers: [] }, { cluster, ownsCluster: false });
        const steps = 40;
        const perStep = 125;
        const acked: string[] = [];
        let completed = false;
        interval(50, clock)
          .pipe(
            take(steps),
            map((step) => Array.from({ length: perStep }, (_, i) => step * perStep + i)),
            mergeMap((ids) => {
              const records = ids.map((id) => ({
                topic: 'orders',
                key: `customer-${id % 97}`,
                value: `order-${id}`,
              }));
              return producer.send(records).pipe(map(() => records.map((r) => r.value)));
            }, 8),
          )
          .subscribe({ next: (values) => acked.push(...values), complete: () => (completed = true) });
        flush();

        expect(acked).toHaveLength(steps * perStep);
        expect(completed).toBe(true);
        // Each record written once, and each key's records in the order they were sent.
        const written = [0, 1, 2, 3, 4, 5].flatMap((p) => cluster.log('orders', p));
        expect(written).toHaveLength(steps * perStep);
        const byKey = new Map<string, number[]>();
        for (const r of written) {
          const ids = byKey.get(r.key!.toString()) ?? [];
          ids.push(Number(r.value!.toString().slice('order-'.length)));
          byKey.set(r.key!.toString(), ids);
        }
        for (const ids of byKey.values()) expect(ids).toEqual([...ids].sort((a, b) => a - b));
      });
    },
  );

  // A batch created while the one before it is in flight, at the very time the answer comes: the
  // answer's timer fired early, so the sender saw now() a millisecond before the batch's creation.
  it('sends a batch made just before an early-fired answer frees the in-flight slot (lingerMs 0)', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const clock = jitteryClock(scheduler, () => true);
      const cluster = new ScriptedProducerCluster({ clock, topics: { t: 1 }, rttMs: 5 });
      const producer = createProducerOn(
        { brokers: [], idempotent: false, acks: 1, lingerMs: 0, maxInFlightPerBroker: 1 },
        { cluster, ownsCluster: false },
      );
      const outcomes: string[] = [];
      const send = (value: string) =>
        producer.send([{ topic: 't', value }]).subscribe({
          next: () => outcomes.push(`${value}: acknowledged at ${scheduler.now()}`),
          error: (e: Error) => outcomes.push(`${value}: ${e.name}`),
        });
      // The second send is scheduled first, so at 5 it comes before the first one's answer.
      scheduler.schedule(() => send('second'), 5);
      scheduler.schedule(() => send('first'), 0);
      flush();
      expect(outcomes).toEqual(['first: acknowledged at 5', 'second: acknowledged at 10']);
    });
  });

  interface Send {
    at: number;
    records: { key: number | null; partition: number | null; size: number }[];
  }
  interface Scenario {
    partitions: number;
    brokers: number;
    rttMs: number;
    idempotent: boolean;
    lingerMs: number;
    batchBytes: number;
    maxInFlightPerBroker: number;
    retryBackoffMs: number;
    sends: Send[];
    faults: { partition: number; fault: ProduceFault }[];
    /** Times without a leader: metadata tells no leader for the partition from `from` for `forMs`. */
    elections: { partition: number; from: number; forMs: number }[];
    lag: boolean[];
  }

  const retriable = [
    ErrorCode.NOT_LEADER_OR_FOLLOWER,
    ErrorCode.NOT_ENOUGH_REPLICAS,
    ErrorCode.REQUEST_TIMED_OUT,
  ];
  const scenario: fc.Arbitrary<Scenario> = fc.record({
    partitions: fc.integer({ min: 1, max: 6 }),
    brokers: fc.integer({ min: 1, max: 3 }),
    rttMs: fc.integer({ min: 1, max: 20 }),
    idempotent: fc.boolean(),
    lingerMs: fc.integer({ min: 0, max: 10 }),
    batchBytes: fc.integer({ min: 200, max: 3000 }),
    maxInFlightPerBroker: fc.integer({ min: 1, max: 5 }),
    retryBackoffMs: fc.integer({ min: 1, max: 50 }),
    sends: fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: 100 }),
        records: fc.array(
          fc.record({
            key: fc.option(fc.integer({ min: 0, max: 20 })),
            partition: fc.option(fc.integer({ min: 0, max: 5 }), { freq: 4 }),
            size: fc.integer({ min: 0, max: 400 }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
      }),
      { minLength: 1, maxLength: 12 },
    ),
    faults: fc.array(
      fc.record({
        partition: fc.integer({ min: 0, max: 5 }),
        fault: fc.oneof(
          fc.constantFrom(...retriable).map((errorCode): ProduceFault => ({ errorCode })),
          // Written, but the answer is an error (e.g. a timeout after the write).
          fc.constant<ProduceFault>({ errorCode: ErrorCode.REQUEST_TIMED_OUT, append: true }),
          fc.constant<ProduceFault>({ disconnect: true }),
        ),
      }),
      { maxLength: 6 },
    ),
    elections: fc.array(
      fc.record({
        partition: fc.integer({ min: 0, max: 5 }),
        from: fc.integer({ min: 0, max: 100 }),
        forMs: fc.integer({ min: 1, max: 300 }),
      }),
      { maxLength: 2 },
    ),
    lag: fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
  });

  it('acknowledges every record of any mix of sends, retriable faults and timer jitter, without flush', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
        scheduler.run(({ flush }) => {
          const clock = jitteryClock(scheduler, (n) => s.lag[n % s.lag.length]);
          const cluster = new ScriptedProducerCluster({
            clock,
            topics: { t: s.partitions },
            brokers: s.brokers,
            leaderOf: (_topic, partition) => (partition % s.brokers) + 1,
            rttMs: s.rttMs,
          });
          for (const { partition, fault } of s.faults)
            if (partition < s.partitions) cluster.fault('t', partition, fault);
          for (const { partition, from, forMs } of s.elections) {
            if (partition >= s.partitions) continue;
            const leader = (partition % s.brokers) + 1;
            scheduler.schedule(() => cluster.setLeader('t', partition, -1), from);
            scheduler.schedule(() => cluster.setLeader('t', partition, leader), from + forMs);
          }
          const producer = createProducerOn(
            {
              brokers: [],
              idempotent: s.idempotent,
              acks: s.idempotent ? -1 : 1,
              lingerMs: s.lingerMs,
              batchBytes: s.batchBytes,
              maxInFlightPerBroker: s.maxInFlightPerBroker,
              retryBackoffMs: s.retryBackoffMs,
            },
            { cluster, ownsCluster: false },
          );
          const outcomes: string[] = [];
          let id = 0;
          const values: string[] = [];
          s.sends.forEach((send, i) => {
            const records: ProducerRecord[] = send.records.map((r) => {
              const value = `${id++}:${'v'.repeat(r.size)}`;
              values.push(value);
              return {
                topic: 't',
                key: r.key === null ? null : `k${r.key}`,
                value,
                ...(r.partition === null ? {} : { partition: r.partition % s.partitions }),
              };
            });
            scheduler.schedule(() => {
              producer.send(records).subscribe({
                next: (mds) => outcomes.push(`send ${i}: ${mds.length} acknowledged`),
                error: (e: Error) => outcomes.push(`send ${i}: ${e.name} ${e.message}`),
              });
            }, send.at);
          });
          flush();
          const expected = s.sends.map((send, i) => `send ${i}: ${send.records.length} acknowledged`);
          const written = Array.from({ length: s.partitions }, (_, p) => cluster.log('t', p))
            .flat()
            .map((r) => r.value!.toString());
          expect(outcomes.sort()).toEqual(expected.sort());
          // A dropped connection may lose the answer to a write that landed: without idempotence
          // the retry writes it again.
          expect(s.idempotent ? written.sort() : [...new Set(written)].sort()).toEqual(values.sort());
        });
      }),
      { numRuns: Number(process.env.WAKE_RUNS ?? 150) },
    );
  });
});
