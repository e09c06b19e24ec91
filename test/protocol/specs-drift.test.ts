import type { ApiSpec, FieldSpec, MessageSpec } from '../../src/protocol/spec';
import {
  apiSpecByKey,
  apiSpecs,
  ConsumerProtocolAssignment,
  ConsumerProtocolSubscription,
  JoinGroup,
  Fetch,
  AddPartitionsToTxn,
} from '../../src/protocol/specs';
import {
  camelCase,
  KafkaField,
  KafkaMessage,
  KafkaStruct,
  loadKafkaMessage,
  versionsIntersect,
  versionsWithin,
} from '../support/kafka-json';
import { kafkaClientsMessageDir } from '../support/kafka-clients-json';

/** The share group APIs: stable from v1 (Kafka 4.1+); shared/kafka-protocol holds only their v0 drafts. */
const fromKafkaClients = new Set(['ShareGroupHeartbeat', 'ShareFetch', 'ShareAcknowledge']);
let clientsDir: string | undefined;
function definition(api: ApiSpec, name: string): KafkaMessage {
  if (!fromKafkaClients.has(api.name)) return loadKafkaMessage(name);
  clientsDir ??= kafkaClientsMessageDir(
    [...fromKafkaClients].flatMap((n) => [`${n}Request`, `${n}Response`]),
  );
  return loadKafkaMessage(name, clientsDir);
}

/*
 * Compares every spec with Kafka's own JSON definition, field by field and recursively.
 * Differences read "<path>: <property> <ours> vs <Kafka's>".
 */

const shown = (value: unknown): string => (value === undefined ? '(absent)' : String(value));

/** The fields of a struct-typed Kafka field: inline, or from `commonStructs` by type name. */
function kafkaSubFields(
  field: KafkaField,
  common: readonly KafkaStruct[],
): readonly KafkaField[] | undefined {
  if (field.fields) return field.fields;
  const typeName = field.type.replace(/^\[\]/, '');
  return common.find((struct) => struct.name === typeName)?.fields;
}

function compareField(
  path: string,
  ours: FieldSpec,
  kafka: KafkaField,
  range: string,
  common: readonly KafkaStruct[],
): string[] {
  const diffs: string[] = [];
  const props = ['type', 'versions', 'nullableVersions', 'taggedVersions', 'tag'] as const;
  for (const prop of props) {
    if (ours[prop] !== kafka[prop])
      diffs.push(`${path}: ${prop} ${shown(ours[prop])} vs ${shown(kafka[prop])}`);
  }
  // Kafka writes defaults both as strings and as literals ("-1" and -1, "false" and false).
  const ourDefault = ours.default === undefined ? undefined : String(ours.default);
  const kafkaDefault = kafka.default === undefined ? undefined : String(kafka.default);
  if (ourDefault !== kafkaDefault)
    diffs.push(`${path}: default ${shown(ourDefault)} vs ${shown(kafkaDefault)}`);
  if (kafka.flexibleVersions !== undefined) {
    diffs.push(
      `${path}: Kafka gives this field its own flexibleVersions (${kafka.flexibleVersions}), which a FieldSpec cannot say`,
    );
  }
  const kafkaFields = kafkaSubFields(kafka, common);
  if (kafkaFields === undefined && ours.fields !== undefined)
    diffs.push(`${path}: has fields, Kafka's has none`);
  if (kafkaFields !== undefined && ours.fields === undefined)
    diffs.push(`${path}: has no fields, Kafka's has some`);
  if (kafkaFields !== undefined && ours.fields !== undefined) {
    const childPath = kafka.type.startsWith('[]') ? `${path}[]` : path;
    diffs.push(...compareFields(childPath, ours.fields, kafkaFields, range, common));
  }
  return diffs;
}

function compareFields(
  path: string,
  ours: readonly FieldSpec[],
  kafka: readonly KafkaField[],
  range: string,
  common: readonly KafkaStruct[],
): string[] {
  const diffs: string[] = [];
  const expected = kafka.filter((field) => versionsIntersect(field.versions, range));
  const kafkaByName = new Map(expected.map((field) => [camelCase(field.name), field]));
  const ourNames = new Set(ours.map((field) => field.name));
  for (const field of ours) {
    const match = kafkaByName.get(field.name);
    if (match) diffs.push(...compareField(`${path}.${field.name}`, field, match, range, common));
    else if (kafka.some((k) => camelCase(k.name) === field.name)) {
      diffs.push(`${path}.${field.name}: present, but Kafka's versions do not meet ${range}`);
    } else diffs.push(`${path}.${field.name}: not in Kafka's definition`);
  }
  for (const [name, field] of kafkaByName) {
    if (!ourNames.has(name)) diffs.push(`${path}.${name}: missing (Kafka's versions ${field.versions})`);
  }
  // Fields are written in declaration order, so the order is part of the wire format.
  const ourOrder = ours.map((field) => field.name).filter((name) => kafkaByName.has(name));
  const kafkaOrder = [...kafkaByName.keys()].filter((name) => ourNames.has(name));
  if (ourOrder.join(',') !== kafkaOrder.join(',')) {
    diffs.push(`${path}: field order ${ourOrder.join(', ')} vs ${kafkaOrder.join(', ')}`);
  }
  return diffs;
}

/** Every difference between one of our message specs and Kafka's definition of it. */
function compareMessage(ours: MessageSpec, kafka: KafkaMessage): string[] {
  const diffs: string[] = [];
  const path = ours.name;
  if (ours.name !== kafka.name) diffs.push(`${path}: name ${ours.name} vs ${kafka.name}`);
  if (ours.type !== kafka.type) diffs.push(`${path}: type ${ours.type} vs ${kafka.type}`);
  if (ours.apiKey !== kafka.apiKey)
    diffs.push(`${path}: apiKey ${shown(ours.apiKey)} vs ${shown(kafka.apiKey)}`);
  if (ours.flexibleVersions !== kafka.flexibleVersions) {
    diffs.push(`${path}: flexibleVersions ${ours.flexibleVersions} vs ${kafka.flexibleVersions}`);
  }
  if (!versionsWithin(ours.validVersions, kafka.validVersions)) {
    diffs.push(`${path}: validVersions ${ours.validVersions} not within ${kafka.validVersions}`);
  }
  diffs.push(
    ...compareFields(path, ours.fields, kafka.fields, ours.validVersions, kafka.commonStructs ?? []),
  );
  return diffs;
}

/** Every difference between one of our API specs and Kafka's request and response definitions. */
function compareApi(api: ApiSpec): string[] {
  const diffs: string[] = [];
  const range = `${api.minVersion}-${api.maxVersion}`;
  for (const message of [api.request, api.response]) {
    if (message.apiKey !== api.apiKey)
      diffs.push(`${message.name}: apiKey ${shown(message.apiKey)} vs the API's ${api.apiKey}`);
    if (message.validVersions !== range) {
      diffs.push(`${message.name}: validVersions ${message.validVersions} vs the API's ${range}`);
    }
  }
  if (api.request.name !== `${api.name}Request`) diffs.push(`${api.name}: request named ${api.request.name}`);
  if (api.response.name !== `${api.name}Response`)
    diffs.push(`${api.name}: response named ${api.response.name}`);
  diffs.push(...compareMessage(api.request, definition(api, api.request.name)));
  diffs.push(...compareMessage(api.response, definition(api, api.response.name)));
  return diffs;
}

/** A deep, writable copy of a spec, to damage on purpose. */
function mutable<T>(value: T): any {
  return structuredClone(value);
}

describe("specs against Kafka's message definitions", () => {
  it.each(apiSpecs.map((api) => [api.name, api] as const))('%s matches', (_name, api) => {
    expect(compareApi(api)).toEqual([]);
  });

  it.each([
    ['ConsumerProtocolSubscription', ConsumerProtocolSubscription],
    ['ConsumerProtocolAssignment', ConsumerProtocolAssignment],
  ] as const)('embedded %s matches', (name, spec) => {
    expect(compareMessage(spec, loadKafkaMessage(name))).toEqual([]);
  });
});

describe('the API list', () => {
  // The version ranges kafka-rx speaks: a change here is a deliberate decision, not drift.
  const ranges: Record<string, [number, number, number]> = {
    Produce: [0, 3, 11],
    Fetch: [1, 4, 17],
    ListOffsets: [2, 1, 10],
    Metadata: [3, 1, 12],
    OffsetCommit: [8, 2, 9],
    OffsetFetch: [9, 1, 9],
    FindCoordinator: [10, 0, 6],
    JoinGroup: [11, 0, 9],
    Heartbeat: [12, 0, 4],
    LeaveGroup: [13, 0, 5],
    SyncGroup: [14, 0, 5],
    DescribeGroups: [15, 0, 5],
    ListGroups: [16, 0, 5],
    SaslHandshake: [17, 0, 1],
    ApiVersions: [18, 0, 4],
    CreateTopics: [19, 2, 7],
    DeleteTopics: [20, 1, 6],
    DeleteRecords: [21, 0, 2],
    InitProducerId: [22, 0, 5],
    AddPartitionsToTxn: [24, 0, 5],
    AddOffsetsToTxn: [25, 0, 4],
    EndTxn: [26, 0, 5],
    TxnOffsetCommit: [28, 0, 4],
    DescribeAcls: [29, 1, 3],
    CreateAcls: [30, 1, 3],
    DeleteAcls: [31, 1, 3],
    DescribeConfigs: [32, 1, 4],
    SaslAuthenticate: [36, 0, 2],
    CreatePartitions: [37, 0, 3],
    DeleteGroups: [42, 0, 2],
    IncrementalAlterConfigs: [44, 0, 1],
    DescribeUserScramCredentials: [50, 0, 0],
    AlterUserScramCredentials: [51, 0, 0],
    DescribeCluster: [60, 0, 1],
    ConsumerGroupHeartbeat: [68, 0, 1],
    ConsumerGroupDescribe: [69, 0, 0],
    ShareGroupHeartbeat: [76, 1, 1],
    ShareFetch: [78, 1, 2],
    ShareAcknowledge: [79, 1, 2],
  };

  it('holds each API once, with its key and range', () => {
    const actual = Object.fromEntries(
      apiSpecs.map((api) => [api.name, [api.apiKey, api.minVersion, api.maxVersion]]),
    );
    expect(actual).toEqual(ranges);
    expect(new Set(apiSpecs.map((api) => api.apiKey)).size).toBe(apiSpecs.length);
  });

  it('finds a spec by api key', () => {
    expect(apiSpecByKey(11)).toBe(JoinGroup);
    expect(apiSpecByKey(1)?.name).toBe('Fetch');
    expect(apiSpecByKey(57)).toBeUndefined();
  });
});

describe('the drift check itself', () => {
  const joinGroupRequest = () => loadKafkaMessage('JoinGroupRequest');

  it('reports a changed version range with its path', () => {
    const spec = mutable(JoinGroup.request);
    spec.fields.find((f: FieldSpec) => f.name === 'protocols').fields[1].versions = '1+';
    expect(compareMessage(spec, joinGroupRequest())).toEqual([
      'JoinGroupRequest.protocols[].metadata: versions 1+ vs 0+',
    ]);
  });

  it('reports a missing field and an invented one', () => {
    const spec = mutable(JoinGroup.request);
    spec.fields = spec.fields.filter((f: FieldSpec) => f.name !== 'reason');
    spec.fields.push({ name: 'rackId', type: 'string', versions: '0+' });
    expect(compareMessage(spec, joinGroupRequest())).toEqual([
      "JoinGroupRequest.rackId: not in Kafka's definition",
      "JoinGroupRequest.reason: missing (Kafka's versions 8+)",
    ]);
  });

  it('reports fields out of order', () => {
    const spec = mutable(JoinGroup.request);
    [spec.fields[0], spec.fields[1]] = [spec.fields[1], spec.fields[0]];
    expect(compareMessage(spec, joinGroupRequest())).toEqual([
      'JoinGroupRequest: field order sessionTimeoutMs, groupId, rebalanceTimeoutMs, memberId, groupInstanceId, ' +
        'protocolType, protocols, reason vs groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, ' +
        'groupInstanceId, protocolType, protocols, reason',
    ]);
  });

  it('reports a wrong tag, nullability and default deep inside a message', () => {
    const spec = mutable(Fetch.response);
    const partitions = spec.fields[3].fields[2];
    partitions.fields[6].tag = 5; // currentLeader
    partitions.fields[8].nullableVersions = undefined; // abortedTransactions
    partitions.fields[8].fields[0].default = '-1'; // abortedTransactions[].producerId
    expect(compareMessage(spec, loadKafkaMessage('FetchResponse'))).toEqual([
      'FetchResponse.responses[].partitions[].currentLeader: tag 5 vs 1',
      'FetchResponse.responses[].partitions[].abortedTransactions: nullableVersions (absent) vs 4+',
      'FetchResponse.responses[].partitions[].abortedTransactions[].producerId: default -1 vs (absent)',
    ]);
  });

  it('checks the fields of a common struct', () => {
    const spec = mutable(AddPartitionsToTxn.request);
    spec.fields[4].fields[1].type = '[]int64'; // v3AndBelowTopics[].partitions
    expect(compareMessage(spec, loadKafkaMessage('AddPartitionsToTxnRequest'))).toEqual([
      'AddPartitionsToTxnRequest.v3AndBelowTopics[].partitions: type []int64 vs []int32',
    ]);
  });

  it('reports message-level drift', () => {
    const spec = mutable(JoinGroup.request);
    spec.flexibleVersions = '5+';
    spec.validVersions = '0-10';
    expect(compareMessage(spec, joinGroupRequest())).toEqual([
      'JoinGroupRequest: flexibleVersions 5+ vs 6+',
      'JoinGroupRequest: validVersions 0-10 not within 0-9',
    ]);
  });
});
