import { FetchSession, type FetchPartition } from '../../../src/consumer/fetcher/fetch-session';
import { ErrorCode } from '../../../src/protocol/errors';

const p = (partition: number, fetchOffset: bigint): FetchPartition => ({
  topic: 't',
  partition,
  fetchOffset,
  maxBytes: 100,
});

describe('FetchSession (KIP-227)', () => {
  it('starts full with epoch 0, then sends only changed partitions and forgets unwanted ones', () => {
    const s = new FetchSession();
    expect(s.next([p(0, 0n), p(1, 0n)], 12)).toEqual({
      sessionId: 0,
      sessionEpoch: 0,
      partitions: [p(0, 0n), p(1, 0n)],
      forgotten: [],
    });
    expect(s.handleResponse(0, 77)).toBe(true);
    // Partition 0 moved on, partition 1 did not: only 0 is sent.
    expect(s.next([p(0, 5n), p(1, 0n)], 12)).toEqual({
      sessionId: 77,
      sessionEpoch: 1,
      partitions: [p(0, 5n)],
      forgotten: [],
    });
    s.handleResponse(0, 77);
    // Partition 1 is no longer wanted (paused or full): forgotten.
    expect(s.next([p(0, 5n)], 12)).toEqual({
      sessionId: 77,
      sessionEpoch: 2,
      partitions: [],
      forgotten: [{ topic: 't', partition: 1 }],
    });
    s.handleResponse(0, 77);
    // Back again: sent as added.
    expect(s.next([p(0, 5n), p(1, 0n)], 12)).toMatchObject({ sessionEpoch: 3, partitions: [p(1, 0n)] });
  });

  it.each([ErrorCode.FETCH_SESSION_ID_NOT_FOUND, ErrorCode.INVALID_FETCH_SESSION_EPOCH])(
    'starts over after session error %i',
    (code) => {
      const s = new FetchSession();
      s.next([p(0, 0n)], 12);
      s.handleResponse(0, 5);
      s.next([p(0, 1n)], 12);
      expect(s.handleResponse(code, 0)).toBe(false);
      expect(s.next([p(0, 1n)], 12)).toEqual({
        sessionId: 0,
        sessionEpoch: 0,
        partitions: [p(0, 1n)],
        forgotten: [],
      });
    },
  );

  it('stays full when the broker gives no session id, and sessionless before Fetch v7', () => {
    const s = new FetchSession();
    s.next([p(0, 0n)], 12);
    s.handleResponse(0, 0);
    expect(s.next([p(0, 0n)], 12)).toMatchObject({ sessionId: 0, sessionEpoch: 0, partitions: [p(0, 0n)] });
    expect(new FetchSession().next([p(0, 0n)], 6)).toMatchObject({
      sessionId: 0,
      sessionEpoch: -1,
      partitions: [p(0, 0n)],
    });
  });
});
