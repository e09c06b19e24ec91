/* eslint-disable @typescript-eslint/no-require-imports */
import fc from 'fast-check';
import { decodeResponse, encodeRequest, encodeResponse } from '../../src/protocol/codec';
import {
  FindCoordinator,
  Heartbeat,
  JoinGroup,
  OffsetCommit,
  OffsetFetch,
  SyncGroup,
} from '../../src/protocol/specs';
import type { ApiSpec, Message } from '../../src/protocol/spec';

// KafkaJS builds whole request frames (size, header v1, body) with its own hand-written
// encoders: an outside reference for the compiled specs of non-flexible versions.
const kafkaJsFrame = require('kafkajs/src/protocol/request');
const requests = (api: string, v: number) => require(`kafkajs/src/protocol/requests/${api}/v${v}/request`);
const responses = (api: string, v: number) => require(`kafkajs/src/protocol/requests/${api}/v${v}/response`);

async function reference(
  api: string,
  version: number,
  correlationId: number,
  clientId: string,
  args: unknown,
) {
  const encoder = await kafkaJsFrame({ correlationId, clientId, request: requests(api, version)(args) });
  return Buffer.from(encoder.buffer);
}

const runs = { seed: 7331, numRuns: 40 };
const name = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 });
const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const correlation = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const buffer = fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a));

async function check(
  api: ApiSpec,
  kafkaJsName: string,
  versions: number[],
  arb: fc.Arbitrary<{ ours: Message; theirs: unknown }>,
): Promise<void> {
  for (const version of versions) {
    await fc.assert(
      fc.asyncProperty(correlation, name, arb, async (correlationId, clientId, { ours, theirs }) => {
        const expected = await reference(kafkaJsName, version, correlationId, clientId, theirs);
        expect(encodeRequest(api, version, { correlationId, clientId }, ours)).toEqual(expected);
      }),
      runs,
    );
  }
}

test('Heartbeat v0-v3', async () => {
  const arb = fc.record({
    groupId: name,
    generationId: int32,
    memberId: name,
    groupInstanceId: fc.option(name),
  });
  await check(
    Heartbeat,
    'heartbeat',
    [0, 1, 2, 3],
    arb.map((b) => ({ ours: b, theirs: { ...b, groupGenerationId: b.generationId } })),
  );
});

test('JoinGroup v0-v5', async () => {
  const arb = fc.record({
    groupId: name,
    sessionTimeoutMs: int32,
    rebalanceTimeoutMs: int32,
    memberId: fc.string({ maxLength: 30 }),
    groupInstanceId: fc.option(name),
    protocolType: name,
    protocols: fc.array(fc.record({ name, metadata: buffer }), { maxLength: 3 }),
  });
  await check(
    JoinGroup,
    'joinGroup',
    [0, 1, 2, 3, 4, 5],
    arb.map((b) => ({
      ours: b,
      theirs: {
        ...b,
        sessionTimeout: b.sessionTimeoutMs,
        rebalanceTimeout: b.rebalanceTimeoutMs,
        groupProtocols: b.protocols,
      },
    })),
  );
});

test('OffsetCommit v2-v5 (int64 offsets and retention time, nullable metadata)', async () => {
  const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
  const arb = fc.record({
    groupId: name,
    generationIdOrMemberEpoch: int32,
    memberId: name,
    retentionTimeMs: int64,
    topics: fc.array(
      fc.record({
        name,
        partitions: fc.array(
          fc.record({ partitionIndex: int32, committedOffset: int64, committedMetadata: fc.option(name) }),
          { maxLength: 3 },
        ),
      }),
      { maxLength: 3 },
    ),
  });
  await check(
    OffsetCommit,
    'offsetCommit',
    [2, 3, 4, 5],
    arb.map((b) => ({
      ours: b,
      theirs: {
        groupId: b.groupId,
        groupGenerationId: b.generationIdOrMemberEpoch,
        memberId: b.memberId,
        retentionTime: b.retentionTimeMs,
        topics: b.topics.map((t) => ({
          topic: t.name,
          partitions: t.partitions.map((p) => ({
            partition: p.partitionIndex,
            offset: p.committedOffset,
            metadata: p.committedMetadata,
          })),
        })),
      },
    })),
  );
});

test('SyncGroup v0-v3', async () => {
  const arb = fc.record({
    groupId: name,
    generationId: int32,
    memberId: name,
    groupInstanceId: fc.option(name),
    assignments: fc.array(fc.record({ memberId: name, assignment: buffer }), { maxLength: 3 }),
  });
  await check(
    SyncGroup,
    'syncGroup',
    [0, 1, 2, 3],
    arb.map((b) => ({
      ours: b,
      theirs: {
        ...b,
        groupAssignment: b.assignments.map((a) => ({ memberId: a.memberId, memberAssignment: a.assignment })),
      },
    })),
  );
});

test('FindCoordinator v1-v2 and OffsetFetch v1-v4', async () => {
  const coordinator = fc.record({ key: name, keyType: fc.integer({ min: 0, max: 1 }) });
  await check(
    FindCoordinator,
    'findCoordinator',
    [1, 2],
    coordinator.map((b) => ({ ours: b, theirs: { coordinatorKey: b.key, coordinatorType: b.keyType } })),
  );
  // KafkaJS writes an empty topic list as a null array (v2+: "all topics"), so lists are non-empty here.
  const fetch = fc.record({
    groupId: name,
    topics: fc.array(fc.record({ name, partitionIndexes: fc.array(int32, { maxLength: 4 }) }), {
      minLength: 1,
      maxLength: 3,
    }),
  });
  await check(
    OffsetFetch,
    'offsetFetch',
    [1, 2, 3, 4],
    fetch.map((b) => ({
      ours: b,
      theirs: {
        groupId: b.groupId,
        topics: b.topics.map((t) => ({
          topic: t.name,
          partitions: t.partitionIndexes.map((partition) => ({ partition })),
        })),
      },
    })),
  );
});

describe("responses: KafkaJS's decoders read what encodeResponse writes", () => {
  // The frame is size (4), correlation id (4), body: KafkaJS decoders take the body.
  const body = (frame: Buffer) => frame.subarray(8);

  test('JoinGroup v5 response', async () => {
    const response = {
      throttleTimeMs: 12,
      errorCode: 0,
      generationId: 3,
      protocolName: 'range',
      leader: 'm-1',
      memberId: 'm-2',
      members: [
        { memberId: 'm-1', groupInstanceId: null, metadata: Buffer.from([0, 1, 2]) },
        { memberId: 'm-2', groupInstanceId: 'i-2', metadata: Buffer.alloc(0) },
      ],
    };
    const frame = encodeResponse(JoinGroup, 5, 99, response);
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
    expect(frame.readInt32BE(4)).toBe(99);
    expect(await responses('joinGroup', 5).decode(body(frame))).toEqual({
      throttleTime: 0,
      clientSideThrottleTime: 12,
      errorCode: 0,
      generationId: 3,
      groupProtocol: 'range',
      leaderId: 'm-1',
      memberId: 'm-2',
      members: [
        { memberId: 'm-1', groupInstanceId: null, memberMetadata: Buffer.from([0, 1, 2]) },
        { memberId: 'm-2', groupInstanceId: 'i-2', memberMetadata: Buffer.alloc(0) },
      ],
    });
    expect(decodeResponse(JoinGroup, 5, frame.subarray(4))).toEqual({ correlationId: 99, body: response });
  });

  test('OffsetCommit v3 and Heartbeat v1 responses', async () => {
    const commit = {
      throttleTimeMs: 5,
      topics: [{ name: 't', partitions: [{ partitionIndex: 2, errorCode: 25 }] }],
    };
    const commitFrame = encodeResponse(OffsetCommit, 3, 1, commit);
    expect(await responses('offsetCommit', 3).decode(body(commitFrame))).toEqual({
      throttleTime: 5,
      responses: [{ topic: 't', partitions: [{ partition: 2, errorCode: 25 }] }],
    });
    const heartbeatFrame = encodeResponse(Heartbeat, 1, 2, { throttleTimeMs: 0, errorCode: 27 });
    expect(await responses('heartbeat', 1).decode(body(heartbeatFrame))).toMatchObject({ errorCode: 27 });
  });
});
