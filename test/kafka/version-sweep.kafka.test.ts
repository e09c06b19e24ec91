import { firstValueFrom } from 'rxjs';
import { metadataRequest } from '../../src/cluster/metadata-response';
import { findCoordinatorRequest, coordinatorFromResponse } from '../../src/cluster/find-coordinator';
import { LATEST_TIMESTAMP, listOffsetsBody } from '../../src/consumer/group/requests';
import type { Message } from '../../src/protocol/spec';
import { FindCoordinator, ListOffsets, Metadata, OffsetCommit, OffsetFetch } from '../../src/protocol/specs';
import { createTcpTransport } from '../../src/transport/tcp-transport';
import type { ApiSpec } from '../../src/protocol/spec';
import { probeApiVersions } from '../broker/raw-request';
import { sharedKafka } from '../broker/kafka/shared-kafka';
import { createTopics, uniqueName } from '../broker/kafka/topics';

/**
 * Every version both kafka-rx and Apache Kafka 4.4 speak, forced one at a time, for the APIs whose
 * layout changed most across versions: each must be understood by Kafka and its answer by us.
 */
describe('every common version against Apache Kafka 4.4', () => {
  const transport = createTcpTransport();
  afterAll(() => transport.close());

  async function common(api: ApiSpec): Promise<number[]> {
    const range = (await probeApiVersions(sharedKafka().brokers[0])).find((r) => r.apiKey === api.apiKey)!;
    const from = Math.max(api.minVersion, range.min);
    const to = Math.min(api.maxVersion, range.max);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  }
  const ask = (api: ApiSpec, body: Message | ((v: number) => Message), version: number) =>
    firstValueFrom(transport.request(sharedKafka().brokers[0], api, body, { version }));

  it('Metadata: brokers, the topic and its partitions in each version', async () => {
    const topic = uniqueName('sweep-metadata');
    await createTopics(sharedKafka().bootstrap, [{ name: topic, partitions: 2 }]);
    const versions = await common(Metadata);
    expect(versions[0]).toBe(1);
    const seen: string[] = [];
    for (const v of versions) {
      const body = await ask(Metadata, metadataRequest([topic], false), v);
      const [t] = body.topics as Message[];
      seen.push(`v${v} ${body.brokers.length} ${t.name} ${t.errorCode} ${t.partitions.length}`);
    }
    expect(seen).toEqual(versions.map((v) => `v${v} 1 ${topic} 0 2`));
  });

  it('FindCoordinator: the one broker coordinates, in each version', async () => {
    const group = uniqueName('sweep-group');
    const versions = await common(FindCoordinator);
    expect(versions).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const ports: number[] = [];
    for (const v of versions) {
      // The group coordinator may still be loading the offsets partition on the first ask.
      let address;
      for (let attempt = 0; address === undefined; attempt++) {
        try {
          address = coordinatorFromResponse(
            v,
            group,
            await ask(FindCoordinator, findCoordinatorRequest(v, group, 'group'), v),
          );
        } catch (e) {
          if (attempt > 20 || !(e as { retriable?: boolean }).retriable) throw e;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      ports.push(address.port);
    }
    expect(ports).toEqual(versions.map(() => sharedKafka().brokers[0].port));
  });

  it('ListOffsets: the end offset in each version', async () => {
    const topic = uniqueName('sweep-list');
    await createTopics(sharedKafka().bootstrap, [{ name: topic }]);
    const versions = await common(ListOffsets);
    expect(versions[0]).toBe(1);
    const offsets: string[] = [];
    for (const v of versions) {
      // The consumer's own request body, for the latest offset.
      const body = await ask(ListOffsets, listOffsetsBody([{ topic, partition: 0 }], LATEST_TIMESTAMP, 0), v);
      const p = body.topics[0].partitions[0];
      offsets.push(`v${v} ${p.errorCode} ${p.offset}`);
    }
    expect(offsets).toEqual(versions.map((v) => `v${v} 0 0`));
  });

  it('OffsetCommit in each version, read back with every OffsetFetch version', async () => {
    const topic = uniqueName('sweep-offsets');
    await createTopics(sharedKafka().bootstrap, [{ name: topic }]);
    const commitVersions = await common(OffsetCommit);
    const fetchVersions = await common(OffsetFetch);
    expect([commitVersions[0], fetchVersions[0]]).toEqual([2, 1]);
    const results: string[] = [];
    const expected: string[] = [];
    for (const cv of commitVersions) {
      const groupId = uniqueName(`sweep-v${cv}`);
      const offset = BigInt(1000 + cv);
      // The first request for a group may meet COORDINATOR_LOAD_IN_PROGRESS (14) or NOT_COORDINATOR (16).
      let committed: Message;
      for (let attempt = 0; ; attempt++) {
        committed = await ask(
          OffsetCommit,
          {
            groupId,
            generationIdOrMemberEpoch: -1,
            memberId: '',
            retentionTimeMs: -1n,
            topics: [
              {
                name: topic,
                partitions: [{ partitionIndex: 0, committedOffset: offset, committedMetadata: null }],
              },
            ],
          },
          cv,
        );
        const code = committed.topics[0].partitions[0].errorCode;
        if (code === 0 || attempt > 20 || ![14, 15, 16].includes(code)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      results.push(`commit v${cv}: ${committed.topics[0].partitions[0].errorCode}`);
      expected.push(`commit v${cv}: 0`);
      for (const fv of fetchVersions) {
        const fetched = await ask(
          OffsetFetch,
          {
            groupId,
            topics: [{ name: topic, partitionIndexes: [0] }],
            groups: [{ groupId, topics: [{ name: topic, partitionIndexes: [0] }] }],
            requireStable: false,
          },
          fv,
        );
        const topics = fv >= 8 ? fetched.groups[0].topics : fetched.topics;
        results.push(`v${cv}/v${fv}: ${topics[0].partitions[0].committedOffset}`);
        expected.push(`v${cv}/v${fv}: ${offset}`);
      }
    }
    expect(results).toEqual(expected);
  });
});
