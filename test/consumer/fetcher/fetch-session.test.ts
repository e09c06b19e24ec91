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

  it('sends a partition again when only its maxBytes changed', () => {
    const s = new FetchSession();
    s.next([p(0, 3n)], 12);
    s.handleResponse(0, 8);
    const bigger = { ...p(0, 3n), maxBytes: 200 };
    expect(s.next([bigger], 12)).toEqual({
      sessionId: 8,
      sessionEpoch: 1,
      partitions: [bigger],
      forgotten: [],
    });
    expect(s.id).toBe(8);
  });

  it('any other top-level error drops the session but the round counts as answered', () => {
    const s = new FetchSession();
    s.next([p(0, 0n)], 12);
    s.handleResponse(0, 8);
    s.next([p(0, 1n)], 12);
    expect(s.handleResponse(ErrorCode.UNKNOWN_SERVER_ERROR, 8)).toBe(true);
    expect(s.id).toBe(0);
    expect(s.next([p(0, 1n)], 12)).toEqual({
      sessionId: 0,
      sessionEpoch: 0,
      partitions: [p(0, 1n)],
      forgotten: [],
    });
  });

  it('the epoch wraps from 2^31-1 to 1, never to 0 (which would ask for a new session)', () => {
    const s = new FetchSession();
    s.next([p(0, 0n)], 12);
    s.handleResponse(0, 8);
    // Two billion rounds in one step: the epoch is a private counter.
    Object.assign(s, { epoch: 0x7fffffff });
    expect(s.next([p(0, 0n)], 12)).toMatchObject({ sessionEpoch: 0x7fffffff });
    s.handleResponse(0, 8);
    expect(s.next([p(0, 0n)], 12)).toMatchObject({ sessionId: 8, sessionEpoch: 1 });
    s.handleResponse(0, 8);
    expect(s.next([p(0, 0n)], 12)).toMatchObject({ sessionId: 8, sessionEpoch: 2 });
  });

  it('a full response that opens a session remembers what it carried; a reset request remembers nothing', () => {
    const s = new FetchSession();
    s.next([p(0, 0n), p(1, 0n)], 12);
    s.handleResponse(0, 8);
    expect(s.next([p(0, 0n), p(1, 0n)], 12)).toMatchObject({ partitions: [], forgotten: [] });
    // A full request cancelled (reset): an answer to it that still comes opens the session, but
    // the broker's content for it is unknown, so the next request names every partition again.
    const t = new FetchSession();
    t.next([p(0, 0n)], 12);
    t.reset();
    t.handleResponse(0, 9);
    expect(t.next([p(0, 0n)], 12)).toEqual({
      sessionId: 9,
      sessionEpoch: 1,
      partitions: [p(0, 0n)],
      forgotten: [],
    });
  });

  it('a sessionless answer (before Fetch v7) keeps no session content', () => {
    const s = new FetchSession();
    s.next([p(0, 0n)], 6);
    s.handleResponse(0, 0);
    expect(s.id).toBe(0);
    expect(s.next([p(0, 0n)], 12)).toEqual({
      sessionId: 0,
      sessionEpoch: 0,
      partitions: [p(0, 0n)],
      forgotten: [],
    });
    s.handleResponse(0, 4);
    expect(s.next([p(0, 0n)], 12)).toEqual({ sessionId: 4, sessionEpoch: 1, partitions: [], forgotten: [] });
  });

  it('Fetch v7 is the first version with sessions', () => {
    expect(new FetchSession().next([p(0, 0n)], 7)).toEqual({
      sessionId: 0,
      sessionEpoch: 0,
      partitions: [p(0, 0n)],
      forgotten: [],
    });
    expect(new FetchSession().next([p(0, 0n)], 6)).toEqual({
      sessionId: 0,
      sessionEpoch: -1,
      partitions: [p(0, 0n)],
      forgotten: [],
    });
  });
});
