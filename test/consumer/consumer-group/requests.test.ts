import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  consumerGroupHeartbeatBody,
  consumerGroupLeaveBody,
} from '../../../src/consumer/consumer-group/requests';
import { decodeRequest, decodeRequestHeader, encodeRequest } from '../../../src/protocol/codec';
import type { RequestOf } from '../../../src/protocol/spec-types';
import { apiSpecByKey, ConsumerGroupHeartbeat } from '../../../src/protocol/specs';

/*
 * The ConsumerGroupHeartbeat kafka-rx sends, against librdkafka 2.12's joining heartbeat as kcat
 * sent it (test/fixtures/protocol/new, an outside capture): librdkafka's mock cluster accepts that
 * form, and aborts on a subscription whose names and regex are not both null or both non-null.
 */

const fixture = readFileSync(
  join(__dirname, '../../fixtures/protocol/new/ConsumerGroupHeartbeat-v1-request.bin'),
);

type Config = Parameters<typeof consumerGroupHeartbeatBody>[0];

const config = (overrides: Partial<Config> = {}): Config => ({
  groupId: 'fixtures-848',
  groupInstanceId: null,
  rebalanceTimeoutMs: 300000,
  topics: ['group-topic'],
  topicPattern: null,
  groupRemoteAssignor: null,
  ...overrides,
});

function body(
  b: ReturnType<typeof consumerGroupHeartbeatBody>,
  version: number,
): RequestOf<typeof ConsumerGroupHeartbeat> {
  return typeof b === 'function' ? b(version) : b;
}

describe('ConsumerGroupHeartbeat requests', () => {
  it("joins with the bytes of librdkafka's joining heartbeat: names, an empty regex, no owned partitions", () => {
    const header = decodeRequestHeader(fixture);
    const captured = decodeRequest(fixture, apiSpecByKey).body;
    const ours = body(consumerGroupHeartbeatBody(config(), captured.memberId, 0, []), header.apiVersion);

    // Field by field first, for a readable difference, then every byte.
    expect(ours).toEqual(captured);
    expect(captured).toMatchObject({ subscribedTopicNames: ['group-topic'], subscribedTopicRegex: '' });
    const frame = encodeRequest(ConsumerGroupHeartbeat, header.apiVersion, header, ours);
    expect(frame.subarray(4).toString('hex')).toBe(fixture.toString('hex'));
  });

  it('differs from the joining heartbeat Kafka 4.4 took from @platformatic/kafka only in the regex: "" for null', () => {
    const kafkaCapture = readFileSync(
      join(__dirname, '../../fixtures/protocol/kafka/ConsumerGroupHeartbeat-v1-request.bin'),
    );
    const { header, body: captured } = decodeRequest(kafkaCapture, apiSpecByKey);
    const ours = body(
      consumerGroupHeartbeatBody(
        config({ rebalanceTimeoutMs: captured.rebalanceTimeoutMs }),
        captured.memberId,
        0,
        [],
      ),
      header.apiVersion,
    );
    // Kafka's Java consumer joins with a null regex too; Kafka reads both as "no regex".
    expect(captured.subscribedTopicRegex).toBeNull();
    expect(ours).toEqual({ ...captured, subscribedTopicRegex: '' });
  });

  it('keeps names and regex a non-null pair on later heartbeats, with the owned partitions', () => {
    const topicId = '00000000-0000-0000-0000-000000000001';
    const sent = body(consumerGroupHeartbeatBody(config(), 'm', 7, [{ topicId, partitions: [0, 2] }]), 1);
    expect(sent).toMatchObject({
      memberEpoch: 7,
      subscribedTopicNames: ['group-topic'],
      subscribedTopicRegex: '',
      topicPartitions: [{ topicId, partitions: [0, 2] }],
    });
  });

  it('sends a pattern as the regex with an empty name list', () => {
    const sent = body(
      consumerGroupHeartbeatBody(config({ topics: [], topicPattern: /^orders-.*/ }), 'm', 0, []),
      1,
    );
    expect(sent).toMatchObject({ subscribedTopicNames: [], subscribedTopicRegex: '^orders-.*' });
  });

  it('leaves the empty regex off the wire on v0, which has no regex field', () => {
    const header = { correlationId: 1, clientId: 'c' };
    const b = consumerGroupHeartbeatBody(config(), 'm', 0, []);
    const v0 = encodeRequest(ConsumerGroupHeartbeat, 0, header, body(b, 0));
    const v1 = encodeRequest(ConsumerGroupHeartbeat, 1, header, body(b, 1));
    // The only difference: v1's one-byte empty compact string after the names.
    expect(v1.length - v0.length).toBe(1);
    expect(decodeRequest(v0.subarray(4), apiSpecByKey).body).toMatchObject({
      subscribedTopicNames: ['group-topic'],
      serverAssignor: null,
    });
  });

  it('refuses a pattern on v0, which has no regex field', () => {
    const b = consumerGroupHeartbeatBody(config({ topics: [], topicPattern: /^orders-.*/ }), 'm', 0, []);
    expect(() => body(b, 0)).toThrow(/needs v1/);
  });

  it('leaves with both subscription fields null, which the mock reads as "unchanged"', () => {
    const sent = body(consumerGroupLeaveBody(config(), 'm', -1), 1);
    expect(sent).toMatchObject({ memberEpoch: -1, subscribedTopicNames: null, subscribedTopicRegex: null });
  });
});
