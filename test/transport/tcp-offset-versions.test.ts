import { firstValueFrom } from 'rxjs';
import { startMockCluster, type MockCluster } from '../broker/mock-cluster';
import type { Build } from '../broker/builds';
import { createCluster } from '../../src/cluster/create-cluster';
import type { Message } from '../../src/protocol/spec';
import { OffsetCommit, OffsetFetch } from '../../src/protocol/specs';
import { createTcpTransport } from '../../src/transport/tcp-transport';

/** The versions each build's broker shares with kafka-rx. */
const RANGES: Record<Build, { commit: [number, number]; fetch: [number, number] }> = {
  old: { commit: [2, 7], fetch: [1, 5] },
  new: { commit: [2, 9], fetch: [1, 6] },
};

const range = ([from, to]: [number, number]) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The committed offset of partition 0 in an OffsetFetch response, whichever layout its version has. */
function committedOffset(body: Message, version: number): bigint {
  const topics = version >= 8 ? body.groups[0].topics : body.topics;
  return topics[0].partitions[0].committedOffset;
}

describe.each(['old', 'new'] as const)(
  'OffsetCommit and OffsetFetch versions over TCP (%s mock broker)',
  (build) => {
    let mock: MockCluster;

    beforeAll(async () => {
      mock = await startMockCluster({ build, brokers: 1, topics: [{ name: 'ledger', partitions: 1 }] });
    });
    afterAll(async () => {
      await mock?.stop();
    });

    it('commits with every OffsetCommit version and reads back with every OffsetFetch version', async () => {
      const results: string[] = [];
      const expected: string[] = [];
      try {
        for (const commitVersion of range(RANGES[build].commit)) {
          const groupId = `ledger-v${commitVersion}`;
          const offset = BigInt(1000 + commitVersion);
          await mock.setApiVersion(OffsetCommit.apiKey, commitVersion, commitVersion);
          const cluster = createCluster({ brokers: [mock.bootstrap], transport: createTcpTransport() });
          try {
            const coordinator = await firstValueFrom(cluster.coordinator(groupId));
            const committed = await firstValueFrom(
              cluster.request(coordinator, OffsetCommit, {
                groupId,
                generationIdOrMemberEpoch: -1,
                memberId: '',
                topics: [
                  {
                    name: 'ledger',
                    partitions: [{ partitionIndex: 0, committedOffset: offset, committedMetadata: null }],
                  },
                ],
              }),
            );
            expect(committed.topics[0].partitions[0].errorCode).toBe(0);
            expect(await firstValueFrom(cluster.transport.version!(coordinator, OffsetCommit))).toBe(
              commitVersion,
            );
            for (const fetchVersion of range(RANGES[build].fetch)) {
              await mock.setApiVersion(OffsetFetch.apiKey, fetchVersion, fetchVersion);
              // A new connection per version: versions are negotiated once per connection.
              const fresh = createTcpTransport();
              try {
                const fetched = await firstValueFrom(
                  fresh.request(coordinator, OffsetFetch, {
                    groupId,
                    topics: [{ name: 'ledger', partitionIndexes: [0] }],
                    groups: [{ groupId, topics: [{ name: 'ledger', partitionIndexes: [0] }] }],
                  }),
                );
                expect(await firstValueFrom(fresh.version!(coordinator, OffsetFetch))).toBe(fetchVersion);
                results.push(`${commitVersion}/${fetchVersion}: ${committedOffset(fetched, fetchVersion)}`);
                expected.push(`${commitVersion}/${fetchVersion}: ${offset}`);
              } finally {
                await fresh.close();
              }
            }
          } finally {
            await cluster.close();
          }
        }
      } finally {
        await mock.setApiVersion(OffsetCommit.apiKey, 0, RANGES[build].commit[1]);
        await mock.setApiVersion(OffsetFetch.apiKey, 0, RANGES[build].fetch[1]);
      }
      expect(results).toEqual(expected);
      expect(results).toHaveLength(range(RANGES[build].commit).length * range(RANGES[build].fetch).length);
    });
  },
);
