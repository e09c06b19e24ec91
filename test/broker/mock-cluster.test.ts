import { randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { ConsumerGroupHeartbeat } from '../../src/protocol/specs';
import { createTcpTransport } from '../../src/transport/tcp-transport';
import { BUILDS } from './builds';
import { keyedRecords, metadata, produce, runKcat } from './kcat';
import { MockBrokerError, startMockCluster, type MockCluster } from './mock-cluster';
import { probeApiVersions, probeGroupCoordinator } from './raw-request';

const API = { Produce: 0, Metadata: 3, FindCoordinator: 10, ApiVersions: 18 };
const ERR = {
  UNSUPPORTED_VERSION: 35,
  MESSAGE_TOO_LARGE: 10,
  NOT_LEADER_OR_FOLLOWER: 6,
  FENCED_MEMBER_EPOCH: 110,
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function elapsed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

describe.each(BUILDS)('mock cluster control commands (%s build)', (build) => {
  let cluster: MockCluster;

  beforeEach(async () => {
    cluster = await startMockCluster({
      build,
      brokers: 3,
      topics: [{ name: 'orders', partitions: 2, replication: 3 }],
    });
  });
  afterEach(() => cluster?.stop());

  it('reports its librdkafka version and one address per broker', async () => {
    expect(await cluster.version()).toBe(build === 'new' ? '2.12.0' : '2.0.2');
    expect(cluster.brokers.map((b) => b.id)).toEqual([1, 2, 3]);
    const md = await metadata({ bootstrap: cluster.bootstrap, build });
    expect(md.brokers.map((b) => b.name).sort()).toEqual(
      cluster.brokers.map((b) => `${b.host}:${b.port}`).sort(),
    );
    for (const b of md.brokers) {
      expect(b.name).toBe(`127.0.0.1:${cluster.brokers.find((x) => x.id === b.id)!.port}`);
    }
    expect(md.topics.find((t) => t.topic === 'orders')?.partitions).toHaveLength(2);
  });

  it('creates topics', async () => {
    await cluster.createTopic('payments', 5);
    const md = await metadata({ bootstrap: cluster.bootstrap, build });
    expect(md.topics.find((t) => t.topic === 'payments')?.partitions).toHaveLength(5);
  });

  it('answers ERR for bad input instead of guessing', async () => {
    await expect(cluster.command('leader orders x 1')).rejects.toThrow(MockBrokerError);
    await expect(cluster.command('no-such-command')).rejects.toThrow(/unknown command/);
    await expect(cluster.brokerDown(9)).rejects.toThrow(MockBrokerError);
    // The channel stays in step after errors.
    expect(await cluster.command('ping')).toBe('pong');
  });

  it('takes a broker down and brings it back', async () => {
    const single = await startMockCluster({ build, brokers: 1 });
    try {
      await single.brokerDown(1);
      await expect(probeApiVersions(single.brokers[0])).rejects.toThrow();
      await expect(
        metadata({ bootstrap: single.bootstrap, build, extraArgs: ['-m', '2'] }),
      ).rejects.toThrow();
      await single.brokerUp(1);
      expect((await metadata({ bootstrap: single.bootstrap, build })).brokers).toHaveLength(1);
    } finally {
      await single.stop();
    }
  });

  it('delays one broker by the round-trip time', async () => {
    const [one, two] = cluster.brokers;
    await cluster.setRtt(1, 600);
    expect(await elapsed(() => probeApiVersions(one))).toBeGreaterThanOrEqual(550);
    expect(await elapsed(() => probeApiVersions(two))).toBeLessThan(300);
    await cluster.setRtt(1, 0);
    expect(await elapsed(() => probeApiVersions(one))).toBeLessThan(300);
  });

  it('moves partition leadership', async () => {
    await cluster.setLeader('orders', 0, 3);
    await cluster.setLeader('orders', 1, 2);
    const md = await metadata({ bootstrap: cluster.bootstrap, build });
    const leaders = md.topics
      .find((t) => t.topic === 'orders')!
      .partitions.map((p) => [p.partition, p.leader]);
    expect(leaders.sort()).toEqual([
      [0, 3],
      [1, 2],
    ]);
  });

  it('moves a group coordinator', async () => {
    await cluster.setCoordinator('billing', 2);
    expect(await probeGroupCoordinator(cluster.brokers[0], 'billing')).toBe(2);
    await cluster.setCoordinator('billing', 3);
    expect(await probeGroupCoordinator(cluster.brokers[0], 'billing')).toBe(3);
  });

  it('fails the next requests of an API key with pushed errors, on any broker', async () => {
    await cluster.pushErrors(API.ApiVersions, [ERR.UNSUPPORTED_VERSION]);
    await expect(probeApiVersions(cluster.brokers[1])).rejects.toThrow(
      `ApiVersions error ${ERR.UNSUPPORTED_VERSION}`,
    );
    await expect(probeApiVersions(cluster.brokers[2])).resolves.not.toHaveLength(0);
  });

  it('makes kcat produce fail with a pushed non-retriable error', async () => {
    const produceOne = () =>
      produce({
        bootstrap: cluster.bootstrap,
        build,
        topic: 'orders',
        partition: 0,
        records: keyedRecords(1),
      });
    await cluster.pushErrors(API.Produce, Array(10).fill(ERR.MESSAGE_TOO_LARGE));
    await expect(produceOne()).rejects.toThrow(/too large/i);
    await cluster.clearErrors(API.Produce);
    // Cleared: the same produce goes through.
    await expect(produceOne()).resolves.toMatchObject({ code: 0 });
  });

  it('fails one broker only, with a delay per error, and counts what is left', async () => {
    const [one, two] = cluster.brokers;
    await cluster.pushErrors(API.ApiVersions, [ERR.UNSUPPORTED_VERSION, 0], { broker: 1, rttMs: [0, 500] });
    expect(await cluster.pendingErrors(1, API.ApiVersions)).toBe(2);
    await expect(probeApiVersions(two)).resolves.not.toHaveLength(0);
    await expect(probeApiVersions(one)).rejects.toThrow(`error ${ERR.UNSUPPORTED_VERSION}`);
    expect(await elapsed(() => probeApiVersions(one))).toBeGreaterThanOrEqual(450);
    expect(await cluster.pendingErrors(1, API.ApiVersions)).toBe(0);
  });

  it('narrows the versions an API key is offered in', async () => {
    const before = (await probeApiVersions(cluster.brokers[0])).find((r) => r.apiKey === API.Metadata)!;
    expect(before.max).toBeGreaterThan(1);
    await cluster.setApiVersion(API.Metadata, 1, 1);
    const after = (await probeApiVersions(cluster.brokers[0])).find((r) => r.apiKey === API.Metadata);
    expect(after).toEqual({ apiKey: API.Metadata, min: 1, max: 1 });
  });

  it('stops by pid and leaves no process behind', async () => {
    const pid = (cluster as unknown as { child: { pid: number } }).child.pid;
    expect(alive(pid)).toBe(true);
    await cluster.stop();
    expect(alive(pid)).toBe(false);
    await expect(cluster.command('ping')).rejects.toThrow(/not running/);
  });

  if (build === 'new') {
    it('tracks requests, by API key and broker', async () => {
      await cluster.startTracking();
      await runKcat(['-L'], { bootstrap: cluster.brokers[1].host + ':' + cluster.brokers[1].port, build });
      const requests = await cluster.requests();
      expect(
        requests.filter((r) => r.apiKey === API.Metadata && r.broker === 2).length,
      ).toBeGreaterThanOrEqual(1);
      expect(requests.every((r) => r.timestampUs > 0)).toBe(true);
      await cluster.clearRequests();
      expect(await cluster.requests()).toEqual([]);
      await cluster.stopTracking();
      await runKcat(['-L'], { bootstrap: cluster.bootstrap, build });
      expect(await cluster.requests()).toEqual([]);
    });

    it('applies the KIP-848 group timing settings: the heartbeat interval it answers, the session it keeps', async () => {
      await cluster.setGroupConsumerSessionTimeout(1000);
      await cluster.setGroupConsumerHeartbeatInterval(500);
      await cluster.setCoordinator('timing', 1);
      const transport = createTcpTransport({ connectTimeoutMs: 5000, requestTimeoutMs: 5000 });
      try {
        const memberId = randomUUID();
        const heartbeat = (memberEpoch: number) =>
          firstValueFrom(
            transport.request(cluster.brokers[0], ConsumerGroupHeartbeat, {
              groupId: 'timing',
              memberId,
              memberEpoch,
              instanceId: null,
              rackId: null,
              rebalanceTimeoutMs: 5000,
              subscribedTopicNames: ['orders'],
              // As librdkafka sends it (its mock reads a null here as a bad request).
              subscribedTopicRegex: '',
              serverAssignor: null,
              topicPartitions: [],
            }),
          );
        const joined = await heartbeat(0);
        expect(joined).toMatchObject({ errorCode: 0, heartbeatIntervalMs: 500 });
        expect(joined.memberEpoch).toBeGreaterThan(0);
        const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
        // Within the session a heartbeat keeps the member; silent for longer than the 1 s session
        // (the default is 45 s), it is fenced (the mock answers FENCED_MEMBER_EPOCH).
        await sleep(300);
        expect((await heartbeat(joined.memberEpoch)).errorCode).toBe(0);
        await sleep(1800);
        expect((await heartbeat(joined.memberEpoch)).errorCode).toBe(ERR.FENCED_MEMBER_EPOCH);
      } finally {
        await transport.close();
      }
    });
  } else {
    it('answers unsupported for what 2.0.2 lacks', async () => {
      await expect(cluster.startTracking()).rejects.toThrow(/unsupported/);
      await expect(cluster.requests()).rejects.toThrow(/unsupported/);
      await expect(cluster.setGroupInitialRebalanceDelay(0)).rejects.toThrow(/unsupported/);
      await expect(cluster.setGroupConsumerSessionTimeout(6000)).rejects.toThrow(/unsupported/);
      await expect(cluster.setGroupConsumerHeartbeatInterval(500)).rejects.toThrow(/unsupported/);
    });
  }
});
