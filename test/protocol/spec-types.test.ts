import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from '../../src/protocol/codec';
import type { ApiSpec, Message } from '../../src/protocol/spec';
import type {
  DecodedOf,
  ReceivedRequestOf,
  RequestOf,
  ResponseBodyOf,
  ResponseOf,
} from '../../src/protocol/spec-types';
import {
  ConsumerProtocolAssignment,
  Fetch,
  FindCoordinator,
  Heartbeat,
  Metadata,
} from '../../src/protocol/specs';

// The message types are checked by `tsc` (this file is in tsconfig.json): each `Is<...>` must be
// `true`, and each `@ts-expect-error` must meet an error, or the type check fails. The tests
// below then send typed bodies through the codec, so that the types describe what it does.
type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
function is<T extends true>(): T | undefined {
  return undefined;
}

type HeartbeatRequest = RequestOf<typeof Heartbeat>;
type MetadataResponse = ResponseOf<typeof Metadata>;
type MetadataBroker = MetadataResponse['brokers'][number];
type MetadataTopic = MetadataResponse['topics'][number];
type FetchPartition = ResponseOf<typeof Fetch>['responses'][number]['partitions'][number];

is<Equal<HeartbeatRequest['generationId'], number>>();
// A field with a default (or nullable) may be left out of a request; the encoder fills it in.
is<Equal<HeartbeatRequest['groupInstanceId'], string | null | undefined>>();
// In every version of Metadata 1-12: required on a response; nullable from v12: admits null.
is<Equal<MetadataTopic['name'], string | null>>();
is<Equal<MetadataResponse['controllerId'], number>>();
// Only from v2 (clusterId) or v3 (throttleTimeMs): optional on a response.
is<Equal<MetadataResponse['clusterId'], string | null | undefined>>();
is<Equal<MetadataResponse['throttleTimeMs'], number | undefined>>();
is<Equal<MetadataBroker['rack'], string | null>>();
is<Equal<MetadataTopic['partitions'][number]['replicaNodes'], readonly number[]>>();
is<Equal<MetadataTopic['topicId'], string | undefined>>();
// int64 decodes as bigint, records as a Buffer (nullable), a tagged struct stays optional.
is<Equal<FetchPartition['highWatermark'], bigint>>();
is<Equal<FetchPartition['records'], Buffer | null>>();
is<
  Equal<
    DecodedOf<typeof ConsumerProtocolAssignment>['assignedPartitions'][number]['partitions'],
    readonly number[]
  >
>();
// A struct's fields are typed over its own field's versions: FindCoordinator's coordinators
// (v4+ of v0-6) are optional, but every field of a coordinator is there whenever it is.
type Coordinators = ResponseOf<typeof FindCoordinator>['coordinators'];
is<Equal<undefined extends Coordinators ? true : false, true>>();
is<Equal<NonNullable<Coordinators>[number]['key'], string>>();
is<Equal<ResponseOf<typeof FindCoordinator>['host'], string | undefined>>();
// A spec not known at compile time gives the untyped Message.
is<Equal<RequestOf<ApiSpec>, Message>>();
is<Equal<ResponseOf<ApiSpec>, Message>>();

export const refused: HeartbeatRequest[] = [
  // @ts-expect-error a misspelt field
  { groupId: 'g', generationId: 1, memberId: 'm', groupInstanceID: null },
  // @ts-expect-error a missing field without a default
  { groupId: 'g', memberId: 'm' },
  // @ts-expect-error a field of the wrong type
  { groupId: 'g', generationId: '1', memberId: 'm' },
];

describe('message types derived from the specs', () => {
  it('type a request the encoder writes and a broker reads back', () => {
    const body: HeartbeatRequest = { groupId: 'g', generationId: 7, memberId: 'm-1' };
    const frame = encodeRequest(Heartbeat, 4, { correlationId: 3, clientId: 'c' }, body);
    const { body: received } = decodeRequest(frame.subarray(4), () => Heartbeat);
    const read: ReceivedRequestOf<typeof Heartbeat> = received;
    expect(read).toEqual({ groupId: 'g', generationId: 7, memberId: 'm-1', groupInstanceId: null });
  });

  it('type a response a broker writes (defaults left out) and the client reads', () => {
    // The type covers v1-v12, so fields of later versions (throttleTimeMs, topicId) are optional in
    // it; v1 needs none of them.
    const written: ResponseBodyOf<typeof Metadata> = {
      brokers: [{ nodeId: 1, host: 'h', port: 9092 }],
      topics: [{ errorCode: 0, name: 't', partitions: [] }],
    };
    const frame = encodeResponse(Metadata, 1, 5, written);
    const { correlationId, body } = decodeResponse(Metadata, 1, frame.subarray(4));
    expect(correlationId).toBe(5);
    const controller: number = body.controllerId;
    expect(controller).toBe(-1);
    expect(body.brokers[0]).toEqual({ nodeId: 1, host: 'h', port: 9092, rack: null });
    expect(body.topics[0].name).toBe('t');
    expect(body.clusterId).toBeUndefined();
  });
});
