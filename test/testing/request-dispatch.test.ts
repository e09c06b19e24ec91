import { createConnection } from 'node:net';
import { lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { encodeRequest } from '../../src/protocol/codec';
import { ErrorCode } from '../../src/protocol/errors';
import { ApiVersions, FindCoordinator, Heartbeat, Metadata, SaslHandshake } from '../../src/protocol/specs';
import type { Message } from '../../src/protocol/spec';
import { createFakeCluster, type FakeCluster } from '../../src/testing';
import { call, callNow } from '../support/fake-request';
import { virtualClock } from '../support/virtual-time';

function rawRequest(apiKey: number, version: number, correlationId: number, rest: Buffer): Buffer {
  const clientId = Buffer.from('x');
  const header = Buffer.alloc(10);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(version, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(clientId.length, 8);
  return Buffer.concat([header, clientId, rest]);
}

/** Metadata v9 of every topic, asked of broker `nodeId`. */
function allMetadata(cluster: FakeCluster, nodeId: number): Message {
  const body = {
    topics: null,
    allowAutoTopicCreation: false,
    includeClusterAuthorizedOperations: false,
    includeTopicAuthorizedOperations: false,
  };
  return callNow(cluster, Metadata, 9, body, nodeId)!;
}

function memoryCall(cluster: FakeCluster, frame: Buffer) {
  return cluster.handler({ host: 'fake-0', port: 9092 }, frame);
}

describe('request dispatch', () => {
  it('answers an ApiVersions version it does not speak with UNSUPPORTED_VERSION in a v0 body', async () => {
    const cluster = createFakeCluster();
    const frame = rawRequest(18, 9, 7, Buffer.from([0x00, 0x02, 0x61, 0x02, 0x31, 0x00]));
    const [response] = await lastValueFrom(memoryCall(cluster, frame).pipe(toArray()));
    // correlation id 7; error 35; one ApiVersion: key 18, versions 0-4 (protocol guide, ApiVersionsResponse v0).
    expect(response?.toString('hex')).toBe('00000007' + '0023' + '00000001' + '0012' + '0000' + '0004');
  });

  it('lists the APIs it answers, with the versions of the specs', () => {
    const cluster = createFakeCluster();
    const response = callNow(cluster, ApiVersions, 3, {
      clientSoftwareName: 'kafka-rx',
      clientSoftwareVersion: '0.1.0',
    });
    const keys = (response?.apiKeys as Array<{ apiKey: number; minVersion: number; maxVersion: number }>).map(
      (k) => k.apiKey,
    );
    expect(keys).toEqual([
      0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 22, 24, 25, 26, 28, 32, 37, 42, 44, 68, 69,
      76, 78, 79,
    ]);
    // EndTxn v5 (transaction protocol v2) is not offered, as Kafka 4 offers it only with unstable versions.
    expect(
      (response?.apiKeys as Array<{ apiKey: number; maxVersion: number }>).find((k) => k.apiKey === 26),
    ).toMatchObject({
      maxVersion: 4,
    });
    expect(
      callNow(cluster, ApiVersions, 3, { clientSoftwareName: '-bad-', clientSoftwareVersion: '1' })
        ?.errorCode,
    ).toBe(ErrorCode.INVALID_REQUEST);
  });

  it('closes the connection (an error, not a throw) on bytes that do not decode and on APIs it does not speak', async () => {
    const cluster = createFakeCluster();
    await expect(lastValueFrom(memoryCall(cluster, Buffer.from([0, 3, 0])))).rejects.toMatchObject({
      name: 'FakeBrokerRequestError',
    });
    const sasl = encodeRequest(
      SaslHandshake,
      1,
      { correlationId: 1, clientId: 'x' },
      { mechanism: 'PLAIN' },
    ).subarray(4);
    await expect(lastValueFrom(memoryCall(cluster, sasl))).rejects.toMatchObject({
      name: 'FakeBrokerRequestError',
    });
    const truncated = encodeRequest(
      Metadata,
      9,
      { correlationId: 1, clientId: 'x' },
      {
        topics: [{ name: 'abc' }],
        allowAutoTopicCreation: true,
        includeClusterAuthorizedOperations: false,
        includeTopicAuthorizedOperations: false,
      },
    ).subarray(4, 20);
    await expect(lastValueFrom(memoryCall(cluster, truncated))).rejects.toMatchObject({
      name: 'FakeBrokerRequestError',
    });
  });

  it('answers pushed errors the given number of times, then handles requests again', () => {
    const cluster = createFakeCluster();
    cluster.faults.pushError(FindCoordinator, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, { count: 2 });
    const find = () =>
      callNow(cluster, FindCoordinator, 4, { keyType: 0, coordinatorKeys: ['g'] })?.coordinators[0].errorCode;
    expect([find(), find(), find()]).toEqual([
      ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
      ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
      0,
    ]);
  });

  it('delays requests on the clock, and loses the heartbeats a test drops', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ expectObservable }) => {
      const cluster = createFakeCluster({ clock: scheduler });
      cluster.faults.delay(FindCoordinator, 250);
      expectObservable(call(cluster, FindCoordinator, 3, { key: 'g', keyType: 0 })).toBe('250ms (a|)', {
        a: expect.objectContaining({ errorCode: 0, nodeId: 0, host: 'fake-0', port: 9092 }),
      });
      cluster.dropHeartbeats('m-1');
      const heartbeat = (memberId: string) =>
        call(cluster, Heartbeat, 4, { groupId: 'g', generationId: 1, memberId, groupInstanceId: null });
      expectObservable(heartbeat('m-1')).toBe('');
      expectObservable(heartbeat('m-2')).toBe('(a|)', {
        a: { throttleTimeMs: 0, errorCode: ErrorCode.UNKNOWN_MEMBER_ID },
      });
    });
  });

  it('refuses connections to a broker that is down, moves its partitions, and takes them back', async () => {
    const cluster = createFakeCluster({ brokers: 2, topics: { t: 2 } });
    const leaders = () =>
      (allMetadata(cluster, 1).topics[0].partitions as Array<{ leaderId: number; leaderEpoch: number }>).map(
        (p) => [p.leaderId, p.leaderEpoch],
      );
    expect(leaders()).toEqual([
      [0, 0],
      [1, 0],
    ]);
    await cluster.brokerDown(0);
    await expect(
      lastValueFrom(memoryCall(cluster, rawRequest(18, 0, 1, Buffer.alloc(0)))),
    ).rejects.toMatchObject({
      name: 'ConnectionError',
    });
    expect(leaders()).toEqual([
      [1, 1],
      [1, 0],
    ]);
    await cluster.brokerUp(0);
    expect(callNow(cluster, ApiVersions, 0, {})?.errorCode).toBe(0);
  });

  it('a killed broker keeps its partitions and groups in Metadata and FindCoordinator until fenced, then they move', () => {
    const clock = virtualClock();
    const cluster = createFakeCluster({ brokers: 3, topics: { t: 3 }, clock });
    // Asked through a broker that stays up.
    let via = 0;
    const metadata = () => allMetadata(cluster, via);
    const coordinator = () =>
      callNow(cluster, FindCoordinator, 3, { key: 'g', keyType: 0 }, via)!.nodeId as number;
    const victim = coordinator();
    via = victim === 0 ? 1 : 0;
    const leaders = () =>
      (metadata().topics[0].partitions as Array<{ leaderId: number }>).map((p) => p.leaderId);
    const brokers = () => (metadata().brokers as Array<{ nodeId: number }>).map((b) => b.nodeId);
    const before = leaders();
    expect(before).toContain(victim);
    void cluster.brokerDown(victim, { fencedAfterMs: 9000 });
    clock.advanceTo(8999);
    expect([coordinator(), leaders(), brokers()]).toEqual([victim, before, [0, 1, 2]]);
    clock.advanceTo(9000);
    expect(coordinator()).not.toBe(victim);
    expect(leaders()).not.toContain(victim);
    expect(brokers()).not.toContain(victim);
  });

  it('a broker back before the controller fenced it keeps what it led', async () => {
    const clock = virtualClock();
    const cluster = createFakeCluster({ brokers: 2, clock });
    const coordinator = () =>
      callNow(cluster, FindCoordinator, 3, { key: 'g', keyType: 0 }, 1)!.nodeId as number;
    const victim = coordinator();
    void cluster.brokerDown(victim, { fencedAfterMs: 9000 });
    clock.advanceTo(5000);
    await cluster.brokerUp(victim);
    clock.advanceTo(20000);
    expect(coordinator()).toBe(victim);
    expect(() => cluster.brokerDown(victim, { fencedAfterMs: -1 })).toThrow(
      'fencedAfterMs must be a number of ms >= 0, not -1',
    );
  });

  it('over TCP, drops a connection that sends garbage and keeps serving others', async () => {
    const cluster = createFakeCluster();
    const { brokers } = await cluster.listen();
    const [host, port] = brokers[0].split(':');
    try {
      const closed = await new Promise<boolean>((resolve) => {
        const socket = createConnection({ host, port: Number(port) }, () =>
          socket.write(Buffer.from([0, 0, 0, 3, 1, 2, 3])),
        );
        socket.on('close', () => resolve(true));
        socket.on('error', () => undefined);
      });
      expect(closed).toBe(true);
      const answer = await new Promise<Buffer>((resolve, reject) => {
        const socket = createConnection({ host, port: Number(port) }, () =>
          socket.write(encodeRequest(ApiVersions, 0, { correlationId: 9, clientId: 'x' }, {})),
        );
        socket.once('data', (d: Buffer) => {
          socket.destroy();
          resolve(d);
        });
        socket.on('error', reject);
      });
      expect(answer.readInt32BE(4)).toBe(9);
      expect(answer.readInt16BE(8)).toBe(0);
    } finally {
      await cluster.close();
    }
  });
});
