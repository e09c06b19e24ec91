import { defer, NEVER, of, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createAdmin } from '../../src/admin';
import { decodeRequest, decodeRequestHeader, encodeResponse } from '../../src/protocol/codec';
import type { Message } from '../../src/protocol/spec';
import { apiSpecByKey, apiSpecs, ApiVersions, CreateTopics, DescribeCluster } from '../../src/protocol/specs';
import { createMemoryTransport } from '../../src/transport/memory-transport';
import type { FrameHandler } from '../../src/transport/transport';

interface Sent {
  readonly at: number;
  readonly apiKey: number;
  readonly body: Message;
}

/**
 * A broker that answers ApiVersions with every API kafka-rx speaks, and other requests with
 * `answer` (NEVER: no answer at all).
 */
function scriptedBroker(
  clock: TestScheduler,
  sent: Sent[],
  answer: (apiKey: number, body: Message) => Message | typeof NEVER,
): FrameHandler {
  return (_broker, frame): Observable<Buffer> =>
    defer(() => {
      const header = decodeRequestHeader(frame);
      const { api, body } = decodeRequest(frame, apiSpecByKey);
      sent.push({ at: clock.now(), apiKey: header.apiKey, body });
      const reply =
        api.apiKey === ApiVersions.apiKey
          ? {
              errorCode: 0,
              apiKeys: apiSpecs.map((s) => ({
                apiKey: s.apiKey,
                minVersion: s.minVersion,
                maxVersion: s.maxVersion,
              })),
              throttleTimeMs: 0,
            }
          : answer(api.apiKey, body);
      if (reply === NEVER) return NEVER;
      return of(encodeResponse(api, header.apiVersion, header.correlationId, reply as Message).subarray(4));
    });
}

const created = (name: string, errorCode = 0) => ({
  name,
  topicId: '00000000-0000-0000-0000-000000000001',
  errorCode,
  errorMessage: null,
  numPartitions: errorCode === 0 ? 1 : -1,
  replicationFactor: errorCode === 0 ? 1 : -1,
  configs: [],
});

describe('admin in virtual time', () => {
  it('sends again only the topic the broker refused with NOT_CONTROLLER, after the backoff on the clock', async () => {
    const testScheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const sent: Sent[] = [];
    let refusals = 1;
    const handler = scriptedBroker(testScheduler, sent, (apiKey, body) => {
      if (apiKey !== CreateTopics.apiKey) throw new Error(`unexpected api ${apiKey}`);
      return {
        throttleTimeMs: 0,
        topics: (body.topics as Message[]).map((t) =>
          created(t.name, t.name === 'b' && refusals-- > 0 ? 41 : 0),
        ),
      };
    });
    let result: unknown;
    testScheduler.run(() => {
      const admin = createAdmin({
        brokers: ['b1:9092'],
        clock: testScheduler,
        transport: createMemoryTransport({ handler, clock: testScheduler }),
        retryBackoffMs: 100,
      });
      void admin.createTopics([{ name: 'a' }, { name: 'b' }]).then((r) => (result = r));
    });
    await new Promise((resolve) => setImmediate(resolve));
    const creates = sent.filter((s) => s.apiKey === CreateTopics.apiKey);
    expect(creates.map((s) => (s.body.topics as Message[]).map((t) => t.name))).toEqual([['a', 'b'], ['b']]);
    // The jittered backoff of the first retry: 100 ms ± 20 %.
    expect(creates[1].at - creates[0].at).toBeGreaterThanOrEqual(80);
    expect(creates[1].at - creates[0].at).toBeLessThanOrEqual(120);
    expect(result).toEqual([
      { name: 'a', topicId: '00000000-0000-0000-0000-000000000001', partitions: 1, replicationFactor: 1 },
      { name: 'b', topicId: '00000000-0000-0000-0000-000000000001', partitions: 1, replicationFactor: 1 },
    ]);
  });

  it('rejects with a TimeoutError at the deadline, on the clock, when the broker never answers', async () => {
    const testScheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const sent: Sent[] = [];
    const handler = scriptedBroker(testScheduler, sent, () => NEVER);
    let outcome: unknown;
    testScheduler.run(() => {
      const admin = createAdmin({
        brokers: ['b1:9092'],
        clock: testScheduler,
        transport: createMemoryTransport({ handler, clock: testScheduler }),
        apiTimeoutMs: 120000,
        // The broker answers ApiVersions only: past bootstrapTimeoutMs the cluster would count as never reached.
        bootstrapTimeoutMs: 120000,
      });
      void admin.describeCluster({ timeoutMs: 45000 }).then(
        (r) => (outcome = r),
        (e: unknown) => (outcome = e),
      );
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(outcome).toMatchObject({
      name: 'TimeoutError',
      retriable: true,
      message: 'describeCluster did not complete within 45000 ms',
    });
    // Sent at 0, and again after the transport's own timeout (30 s + 5 s) and a backoff; the
    // deadline at 45 s ends the retries.
    const asked = sent.filter((r) => r.apiKey === DescribeCluster.apiKey).map((r) => r.at);
    expect(asked).toHaveLength(2);
    expect(asked[0]).toBe(0);
    expect(asked[1]).toBeGreaterThan(35000);
    expect(asked[1]).toBeLessThan(45000);
  });
});
