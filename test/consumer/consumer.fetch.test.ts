import type { ConsumerRecord } from '../../src/consumer/types';
import { ErrorCode } from '../../src/protocol/errors';
import type { Message } from '../../src/protocol/spec';
import { scriptedConsumer } from '../support/scripted-consumer';

const setup = scriptedConsumer;

/** Subscribes messages$ (records land in `t.records`); per record, the Fetches sent when it was delivered. */
function fetchesAtDelivery(t: ReturnType<typeof setup>): number[] {
  const fetchesSentAt: number[] = [];
  t.consumer.messages$.subscribe((r) => {
    fetchesSentAt.push(t.cluster.requests('Fetch').length);
    t.records.push(r);
  });
  return fetchesSentAt;
}

const values = (rs: ConsumerRecord[]) => rs.map((r) => `${r.partition}:${r.value?.toString()}`);

describe('fetcher', () => {
  it('uses a fetch session: full first request, then incremental ones with the session id and a growing epoch', () => {
    const t = setup();
    t.cluster.produce('orders', 0, 'a0', 'a1', 'a2', 'a3');
    t.consumer.messages$.subscribe((r) => t.records.push(r));
    t.clock.advanceTo(2000);
    const fetches = t.cluster.requests('Fetch').map((r) => r.body);
    expect(fetches[0]).toMatchObject({
      sessionId: 0,
      sessionEpoch: 0,
      isolationLevel: 1,
      minBytes: 1,
      maxWaitMs: 500,
      maxBytes: 50 * 1024 * 1024,
    });
    expect(
      fetches[0].topics[0].partitions.map((p: Message) => [p.partition, p.fetchOffset, p.partitionMaxBytes]),
    ).toEqual([
      [0, 0n, 1024 * 1024],
      [1, 0n, 1024 * 1024],
    ]);
    expect(fetches[1]).toMatchObject({ sessionId: 1, sessionEpoch: 1 });
    // Only partition 0 moved (3 records per response in the stand-in).
    expect(fetches[1].topics[0].partitions.map((p: Message) => [p.partition, p.fetchOffset])).toEqual([
      [0, 3n],
    ]);
    expect(fetches[2]).toMatchObject({ sessionId: 1, sessionEpoch: 2 });
    expect(values(t.records)).toEqual(['0:a0', '0:a1', '0:a2', '0:a3']);
  });

  it('one Fetch in flight per broker: the next waits for the answer (maxWaitMs when empty)', () => {
    const t = setup();
    t.consumer.messages$.subscribe();
    t.clock.advanceTo(3000);
    const at = t.cluster.requests('Fetch').map((r) => r.at);
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBe(501);
  });

  it('sends the next Fetch before delivering the records of an answer, for the partitions with room left', () => {
    const t = setup();
    t.cluster.produce('orders', 0, 'a0', 'a1', 'a2', 'a3');
    const fetchesSentAt = fetchesAtDelivery(t);
    t.clock.advanceTo(2000);
    // The first three records come in the first answer; the second Fetch was out before the first of them.
    expect(fetchesSentAt).toEqual([2, 2, 2, 3]);
    const second = t.cluster.requests('Fetch')[1].body;
    expect(second.topics[0].partitions.map((p: Message) => [p.partition, p.fetchOffset])).toEqual([[0, 3n]]);
    expect(values(t.records)).toEqual(['0:a0', '0:a1', '0:a2', '0:a3']);
  });

  it('a partition whose buffer an answer filled is left out of the Fetch sent during its delivery', () => {
    const t = setup({ partitionBufferBytes: 1 });
    t.cluster.produce('orders', 0, 'a0', 'a1', 'a2', 'a3');
    const fetchesSentAt = fetchesAtDelivery(t);
    t.clock.advanceTo(2000);
    expect(fetchesSentAt.slice(0, 3)).toEqual([2, 2, 2]);
    // Partition 0 holds more than its 1 byte: the session forgets it; partition 1 (empty) is still fetched.
    const second = t.cluster.requests('Fetch')[1].body;
    expect(second.topics).toEqual([]);
    expect(second.forgottenTopicsData.map((f: Message) => f.partitions)).toEqual([[0]]);
    expect(values(t.records)).toEqual(['0:a0', '0:a1', '0:a2', '0:a3']);
  });

  it('backs off retryBackoffMs after a partition error before fetching from that broker again', () => {
    const t = setup({ retryBackoffMs: 250 }, 1);
    t.cluster.produce('orders', 0, 'a0');
    t.cluster.once('Fetch', () => ({
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: 'orders',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER,
              highWatermark: -1n,
              lastStableOffset: -1n,
              logStartOffset: -1n,
              abortedTransactions: null,
              preferredReadReplica: -1,
              records: null,
            },
          ],
        },
      ],
    }));
    t.consumer.messages$.subscribe((r) => t.records.push(r));
    t.clock.advanceTo(1000);
    const [first, second] = t.cluster.requests('Fetch').map((r) => r.at);
    expect(second - first).toBe(1 + 250);
    expect(t.events.some((e) => e.type === 'error' && e.error.name === 'NOT_LEADER_OR_FOLLOWER')).toBe(true);
    expect(values(t.records)).toEqual(['0:a0']);
  });

  it('OFFSET_OUT_OF_RANGE resets by the policy (earliest here) and says so on events$', () => {
    const t = setup();
    t.cluster.committed.set('orders/0', 50n);
    t.cluster.produce('orders', 0, 'a0', 'a1');
    t.cluster.once('Fetch', (b) => ({
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: 'orders',
          partitions: (b.topics[0].partitions as Message[]).map((p) => ({
            partitionIndex: p.partition,
            errorCode: p.partition === 0 ? ErrorCode.OFFSET_OUT_OF_RANGE : 0,
            highWatermark: 2n,
            lastStableOffset: 2n,
            logStartOffset: 0n,
            abortedTransactions: null,
            preferredReadReplica: -1,
            records: null,
          })),
        },
      ],
    }));
    t.consumer.messages$.subscribe((r) => t.records.push(r));
    t.clock.advanceTo(1000);
    expect(t.cluster.requests('Fetch')[0].body.topics[0].partitions[0].fetchOffset).toBe(50n);
    expect(t.events).toContainEqual({
      type: 'offset-reset',
      topic: 'orders',
      partition: 0,
      offset: 0n,
      reason: 'OFFSET_OUT_OF_RANGE',
    });
    expect(values(t.records)).toEqual(['0:a0', '0:a1']);
  });

  it('starts from the latest offset without a committed offset when fromBeginning is false', () => {
    const t = setup({ fromBeginning: false });
    t.cluster.produce('orders', 0, 'old0', 'old1');
    t.consumer.messages$.subscribe((r) => t.records.push(r));
    t.clock.advanceTo(100);
    expect(
      t.cluster.requests('ListOffsets')[0].body.topics[0].partitions.map((p: Message) => p.timestamp),
    ).toEqual([-1n, -1n]);
    t.cluster.produce('orders', 0, 'new2');
    t.clock.advanceTo(2000);
    expect(values(t.records)).toEqual(['0:new2']);
  });

  it('asks again for partitions a ListOffsets answer left out, until each has a position', () => {
    const t = setup();
    t.cluster.produce('orders', 1, 'b0');
    t.cluster.once('ListOffsets', (b) => ({
      topics: [
        {
          name: 'orders',
          partitions: [
            {
              partitionIndex: b.topics[0].partitions[0].partitionIndex,
              errorCode: 0,
              timestamp: -1n,
              offset: 0n,
            },
          ],
        },
      ],
    }));
    t.consumer.messages$.subscribe((r) => t.records.push(r));
    t.clock.advanceTo(1000);
    const asked = t.cluster
      .requests('ListOffsets')
      .map((r) => r.body.topics[0].partitions.map((p: Message) => p.partitionIndex));
    expect(asked).toEqual([[0, 1], [1]]);
    expect(t.events.some((e) => e.type === 'error' && e.error.name === 'OffsetLookupError')).toBe(true);
    expect(values(t.records)).toEqual(['1:b0']);
  });

  it('starts from the committed offset when there is one (no ListOffsets for it)', () => {
    const t = setup();
    t.cluster.committed.set('orders/0', 1n);
    t.cluster.committed.set('orders/1', 0n);
    t.cluster.produce('orders', 0, 'a0', 'a1', 'a2');
    t.consumer.messages$.subscribe((r) => t.records.push(r));
    t.clock.advanceTo(1000);
    expect(t.cluster.requests('ListOffsets')).toEqual([]);
    expect(values(t.records)).toEqual(['0:a1', '0:a2']);
  });

  it('seek drops what is buffered and fetches from the new offset', () => {
    const t = setup({}, 1);
    t.cluster.produce('orders', 0, 'a0', 'a1', 'a2', 'a3', 'a4');
    t.consumer.messages$.subscribe((r) => {
      t.records.push(r);
      if (r.offset === 1n && t.records.length === 2) t.consumer.seek({ topic: 'orders', partition: 0 }, 0n);
    });
    t.clock.advanceTo(3000);
    expect(values(t.records)).toEqual(['0:a0', '0:a1', '0:a0', '0:a1', '0:a2', '0:a3', '0:a4']);
  });

  it('pause stops fetching and delivery of a partition; resume goes on where it stopped', () => {
    const t = setup({}, 1);
    t.cluster.produce('orders', 0, 'a0', 'a1', 'a2', 'a3', 'a4');
    t.consumer.messages$.subscribe((r) => {
      t.records.push(r);
      if (r.offset === 0n) t.consumer.pause([{ topic: 'orders', partition: 0 }]);
    });
    t.clock.advanceTo(3000);
    expect(values(t.records)).toEqual(['0:a0']);
    const fetches = t.cluster.requests('Fetch').length;
    t.clock.advanceTo(6000);
    expect(t.cluster.requests('Fetch').length).toBe(fetches);
    t.consumer.resume([{ topic: 'orders', partition: 0 }]);
    t.clock.advanceTo(7000);
    expect(values(t.records)).toEqual(['0:a0', '0:a1', '0:a2', '0:a3', '0:a4']);
  });

  it('seek and pause on a partition not assigned say so', () => {
    const t = setup();
    expect(() => t.consumer.seek({ topic: 'orders', partition: 9 }, 0n)).toThrow(/not assigned/);
    expect(() => t.consumer.pause([{ topic: 'x', partition: 0 }])).toThrow(/not assigned/);
  });

  it('consumer.commit(offsets) sends exactly those offsets and emits the result', () => {
    const t = setup();
    t.consumer.messages$.subscribe();
    t.clock.advanceTo(100);
    const results: unknown[] = [];
    t.consumer.commit([{ topic: 'orders', partition: 1, offset: 7n }]).subscribe((r) => results.push(r));
    t.clock.advanceTo(200);
    expect(results).toEqual([
      { trigger: 'manual', offsets: [{ topic: 'orders', partition: 1, offset: 7n }] },
    ]);
    expect(t.cluster.requests('OffsetCommit')[0].body).toMatchObject({
      groupId: 'g',
      generationIdOrMemberEpoch: 1,
      memberId: 'member-1',
    });
  });

  it('a commit error lands on commits$ as a value', () => {
    const t = setup();
    const results: unknown[] = [];
    t.consumer.commits$.subscribe((r) => results.push(r));
    t.consumer.messages$.subscribe();
    t.clock.advanceTo(100);
    t.cluster.once('OffsetCommit', () => ({
      topics: [
        { name: 'orders', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.ILLEGAL_GENERATION }] },
      ],
    }));
    t.consumer.commit([{ topic: 'orders', partition: 0, offset: 1n }]).subscribe();
    t.clock.advanceTo(200);
    expect(results).toHaveLength(1);
    expect((results[0] as { error: Error }).error.name).toBe('ILLEGAL_GENERATION');
  });
});
