import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ErrorCode } from '../../../src/protocol/errors';
import { decodeRecords } from '../../../src/protocol/records';
import { Fetch, Metadata } from '../../../src/protocol/specs';
import type { Message } from '../../../src/protocol/spec';
import { createFakeCluster, type FakeCluster } from '../../../src/testing';
import { call, callNow } from '../../support/fake-request';
import { fetchRequestBody } from '../../support/fetch-request';

function fetchBody(
  cluster: FakeCluster,
  version: number,
  fetchOffset: bigint,
  maxWaitMs: number,
  minBytes = 1,
): Message {
  const topicId = version >= 13 ? topicIdOf(cluster) : undefined;
  return fetchRequestBody({ fetchOffset, topicId, maxWaitMs, minBytes });
}

/** The topic id the fake advertises in Metadata v10+, which Fetch v13+ names topics by. */
function topicIdOf(cluster: FakeCluster): string {
  const md = callNow(cluster, Metadata, 12, {
    topics: [{ topicId: '00000000-0000-0000-0000-000000000000', name: 't' }],
    allowAutoTopicCreation: false,
    includeTopicAuthorizedOperations: false,
  });
  return md?.topics[0].topicId;
}

/** What a test looks at in a Fetch answer. */
function summary(body: Message | undefined) {
  const p = body?.responses[0].partitions[0];
  return {
    errorCode: p.errorCode,
    highWatermark: p.highWatermark,
    values: decodeRecords(p.records ?? Buffer.alloc(0)).records.map((r) => r.value?.toString()),
  };
}

describe('Fetch handler', () => {
  it('holds a fetch on an empty partition until maxWaitMs, on the clock', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      const cluster = createFakeCluster({ topics: { t: 1 }, clock: scheduler });
      const fetch$ = call(cluster, Fetch, 12, fetchBody(cluster, 12, 0n, 500)).pipe(map(summary));
      expectObservable(fetch$).toBe('500ms (a|)', { a: { errorCode: 0, highWatermark: 0n, values: [] } });
    });
  });

  it('answers a held fetch as soon as a produce brings minBytes', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      const cluster = createFakeCluster({ topics: { t: 1 }, clock: scheduler });
      scheduler.schedule(() => cluster.append('t', 0, [{ value: 'hello', timestamp: 0 }]), 200);
      const fetch$ = call(cluster, Fetch, 17, fetchBody(cluster, 17, 0n, 500)).pipe(map(summary));
      expectObservable(fetch$).toBe('200ms (a|)', {
        a: { errorCode: 0, highWatermark: 1n, values: ['hello'] },
      });
    });
  });

  it('answers at once when data is there, from the batch that holds fetchOffset', () => {
    const cluster = createFakeCluster({ topics: { t: 1 } });
    cluster.append('t', 0, [{ value: 'a' }, { value: 'b' }]);
    cluster.append('t', 0, [{ value: 'c' }]);
    // Offset 1 is inside the first batch: the whole batch comes back, as a broker sends it.
    expect(summary(callNow(cluster, Fetch, 11, fetchBody(cluster, 11, 1n, 500)))).toEqual({
      errorCode: 0,
      highWatermark: 3n,
      values: ['a', 'b', 'c'],
    });
  });

  it('answers OFFSET_OUT_OF_RANGE below logStartOffset and past the high watermark', () => {
    const cluster = createFakeCluster({ topics: { t: 1 } });
    cluster.append('t', 0, [{ value: 'a' }]);
    cluster.append('t', 0, [{ value: 'b' }]);
    cluster.deleteRecords('t', 0, 1n);
    expect(summary(callNow(cluster, Fetch, 11, fetchBody(cluster, 11, 0n, 0))).errorCode).toBe(
      ErrorCode.OFFSET_OUT_OF_RANGE,
    );
    expect(summary(callNow(cluster, Fetch, 11, fetchBody(cluster, 11, 3n, 0))).errorCode).toBe(
      ErrorCode.OFFSET_OUT_OF_RANGE,
    );
    const fromStart = callNow(cluster, Fetch, 11, fetchBody(cluster, 11, 1n, 0));
    expect(fromStart?.responses[0].partitions[0].logStartOffset).toBe(1n);
    expect(summary(fromStart).values).toEqual(['b']);
  });

  it('refuses an incremental fetch session it never created', () => {
    const cluster = createFakeCluster({ topics: { t: 1 } });
    const response = callNow(cluster, Fetch, 11, {
      ...fetchBody(cluster, 11, 0n, 0),
      sessionId: 42,
      sessionEpoch: 1,
    });
    expect(response).toMatchObject({
      errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
      sessionId: 0,
      responses: [],
    });
  });
});
