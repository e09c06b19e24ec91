import { firstValueFrom } from 'rxjs';
import { apiSpecs } from '../../src/protocol/specs';
import { AddPartitionsToTxnClient } from '../../src/producer/transaction-requests';
import { createTcpTransport } from '../../src/transport/tcp-transport';
import { probeApiVersions } from '../broker/raw-request';
import { sharedKafka } from '../broker/kafka/shared-kafka';

/**
 * The version kafka-rx picks for every API it speaks against Apache Kafka 4.4 (the highest common
 * one). Kafka 4 removed the oldest versions of many APIs (KIP-896); every API here must still meet.
 */
const picked: Record<string, number> = {
  Produce: 11,
  Fetch: 17,
  ListOffsets: 10,
  Metadata: 12,
  OffsetCommit: 9,
  OffsetFetch: 9,
  FindCoordinator: 6,
  JoinGroup: 9,
  Heartbeat: 4,
  LeaveGroup: 5,
  SyncGroup: 5,
  DescribeGroups: 5,
  ListGroups: 5,
  SaslHandshake: 1,
  ApiVersions: 4,
  CreateTopics: 7,
  DeleteTopics: 6,
  DeleteRecords: 2,
  InitProducerId: 5,
  // The client form (v4+ is for brokers).
  AddPartitionsToTxn: 3,
  AddOffsetsToTxn: 4,
  // KIP-890's v5 (epoch bumped by every EndTxn) is stable in Kafka 4.
  EndTxn: 5,
  TxnOffsetCommit: 4,
  DescribeAcls: 3,
  CreateAcls: 3,
  DeleteAcls: 3,
  DescribeConfigs: 4,
  SaslAuthenticate: 2,
  CreatePartitions: 3,
  DeleteGroups: 2,
  IncrementalAlterConfigs: 1,
  DescribeUserScramCredentials: 0,
  AlterUserScramCredentials: 0,
  DescribeCluster: 1,
  ConsumerGroupHeartbeat: 1,
  ConsumerGroupDescribe: 0,
  // Share groups (KIP-932): v1 is the first version Kafka 4.4 speaks; v2 of ShareFetch and
  // ShareAcknowledge adds record-limit acquisition and renew (KIP-1222).
  ShareGroupHeartbeat: 1,
  ShareFetch: 2,
  ShareAcknowledge: 2,
};

describe('API versions against Apache Kafka 4.4', () => {
  it('picks these versions for every API kafka-rx speaks', async () => {
    const [broker] = sharedKafka().brokers;
    const transport = createTcpTransport();
    try {
      const versions: Record<string, number> = {};
      // What the client sends: the producer's AddPartitionsToTxn stops at v3.
      const sent = apiSpecs.map((api) =>
        api.apiKey === AddPartitionsToTxnClient.apiKey ? AddPartitionsToTxnClient : api,
      );
      for (const api of sent) versions[api.name] = await firstValueFrom(transport.version!(broker, api));
      expect(versions).toEqual(picked);
    } finally {
      await transport.close();
    }
  });

  it('leaves no API kafka-rx speaks below the oldest version Kafka 4 still accepts', async () => {
    const [broker] = sharedKafka().brokers;
    const ranges = await probeApiVersions(broker);
    const below = apiSpecs.flatMap((api) => {
      const range = ranges.find((r) => r.apiKey === api.apiKey);
      return range && api.maxVersion < range.min ? [`${api.name} ${api.maxVersion} < ${range.min}`] : [];
    });
    expect(below).toEqual([]);
    expect(apiSpecs.filter((api) => !ranges.some((r) => r.apiKey === api.apiKey)).map((a) => a.name)).toEqual(
      [],
    );
  });
});
