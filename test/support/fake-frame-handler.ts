import {
  defer,
  delay,
  filter,
  map,
  merge,
  NEVER,
  of,
  Subject,
  take,
  throwError,
  type Observable,
} from 'rxjs';
import { decodeRequest, decodeRequestHeader, encodeResponse } from '../../src/protocol/codec';
import type { ApiSpec, Message } from '../../src/protocol/spec';
import { apiSpecByKey, apiSpecs, ApiVersions, FindCoordinator, Metadata } from '../../src/protocol/specs';
import type { Clock } from '../../src/time/clock';
import type { BrokerAddress, FrameHandler } from '../../src/transport/transport';

/**
 * A tiny broker side for the memory transport in transport and cluster tests: answers ApiVersions,
 * Metadata and FindCoordinator (any other API drops the connection), from state the test changes
 * as it goes. Faults: a broker can be down (its requests fail the connection), silent (never
 * answers), delayed, have its open connections dropped, or be given scripted error codes per API.
 */
export interface FakeState {
  brokers: { nodeId: number; host: string; port: number }[];
  /** Topic name to the leader of each partition (-1: none). */
  topics: Map<string, number[]>;
  /** Coordinator node per key. Unknown keys answer COORDINATOR_NOT_AVAILABLE. */
  coordinators: Map<string, number>;
  /** API key to the broker's range; by default every API kafka-rx speaks with its full range. */
  apiVersions: Map<number, [number, number]>;
  /** Answer a too-new ApiVersions with every API's versions rather than ApiVersions' alone. */
  fullFallback: boolean;
  /** Brokers (`host:port`) whose connections drop on any request. */
  down: Set<string>;
  /** Brokers that never answer. */
  silent: Set<string>;
  /** `drop.next('host:port')` fails the responses still on their way from that broker. */
  drop: Subject<string>;
  /** Delay of every response, on the clock. */
  delayMs: number;
  /** Per API key, error codes for the next requests (top-level or per-topic, as the API has). */
  errors: Map<number, number[]>;
  /** Every request received, in order. */
  log: { broker: string; apiKey: number; version: number; body: Message }[];
}

export function fakeState(overrides: Partial<FakeState> = {}): FakeState {
  return {
    brokers: [
      { nodeId: 1, host: 'b1', port: 9092 },
      { nodeId: 2, host: 'b2', port: 9092 },
    ],
    topics: new Map([['orders', [1, 2]]]),
    coordinators: new Map([['group-a', 2]]),
    apiVersions: new Map(
      apiSpecs.map((api) => [api.apiKey, [api.minVersion, api.maxVersion] as [number, number]]),
    ),
    fullFallback: false,
    down: new Set(),
    silent: new Set(),
    drop: new Subject<string>(),
    delayMs: 0,
    errors: new Map(),
    log: [],
    ...overrides,
  };
}

/** Without the 4-byte size prefix, as the handler answers. */
function response(api: ApiSpec, version: number, correlationId: number, body: Message): Buffer {
  return encodeResponse(api, version, correlationId, body).subarray(4);
}

function nextError(state: FakeState, apiKey: number): number {
  return state.errors.get(apiKey)?.shift() ?? 0;
}

export function fakeFrameHandler(state: FakeState, clock: Clock): FrameHandler {
  return (broker: BrokerAddress, frame: Buffer): Observable<Buffer | undefined> =>
    defer(() => {
      const key = `${broker.host}:${broker.port}`;
      if (state.down.has(key)) return throwError(() => new Error('connection reset by fake broker'));
      const header = decodeRequestHeader(frame);
      const range = state.apiVersions.get(header.apiKey);
      if (header.apiKey === ApiVersions.apiKey && range && header.apiVersion > range[1]) {
        // What a Kafka broker does with a too-new ApiVersions: a v0 answer listing ApiVersions alone
        // (or, with `fullFallback`, every API).
        state.log.push({ broker: key, apiKey: header.apiKey, version: header.apiVersion, body: {} });
        const apiKeys = state.fullFallback
          ? versionList(state)
          : [{ apiKey: 18, minVersion: range[0], maxVersion: range[1] }];
        return of(response(ApiVersions, 0, header.correlationId, { errorCode: 35, apiKeys }));
      }
      const { api, body } = decodeRequest(frame, apiSpecByKey);
      state.log.push({ broker: key, apiKey: header.apiKey, version: header.apiVersion, body });
      if (state.silent.has(key)) return NEVER;
      const answer = respond(state, api, header.apiVersion, body);
      const framed = response(api, header.apiVersion, header.correlationId, answer);
      const dropped$ = state.drop.pipe(
        filter((dropped) => dropped === key),
        map((): Buffer => {
          throw new Error('connection reset by fake broker');
        }),
      );
      return merge(
        state.delayMs > 0 ? of(framed).pipe(delay(state.delayMs, clock)) : of(framed),
        dropped$,
      ).pipe(take(1));
    });
}

function versionList(state: FakeState): Message[] {
  return [...state.apiVersions].map(([apiKey, [minVersion, maxVersion]]) => ({
    apiKey,
    minVersion,
    maxVersion,
  }));
}

function respond(state: FakeState, api: ApiSpec, version: number, body: Message): Message {
  switch (api.apiKey) {
    case ApiVersions.apiKey:
      return { errorCode: 0, apiKeys: versionList(state), throttleTimeMs: 0 };
    case Metadata.apiKey: {
      const names: string[] =
        body.topics === null ? [...state.topics.keys()] : body.topics.map((t: Message) => t.name);
      const error = nextError(state, api.apiKey);
      return {
        throttleTimeMs: 0,
        brokers: state.brokers.map((b) => ({ ...b, rack: null })),
        clusterId: 'fake',
        controllerId: state.brokers[0]?.nodeId ?? -1,
        topics: names.map((name) => {
          const leaders = state.topics.get(name);
          return {
            errorCode: leaders === undefined ? 3 : error,
            name,
            topicId: '00000000-0000-0000-0000-000000000000',
            isInternal: name.startsWith('__'),
            partitions: (leaders ?? []).map((leaderId, partitionIndex) => ({
              errorCode: leaderId < 0 ? 5 : 0,
              partitionIndex,
              leaderId,
              leaderEpoch: 0,
              replicaNodes: leaderId < 0 ? [] : [leaderId],
              isrNodes: leaderId < 0 ? [] : [leaderId],
              offlineReplicas: [],
            })),
            topicAuthorizedOperations: -2147483648,
          };
        }),
      };
    }
    case FindCoordinator.apiKey: {
      const keys: string[] = version >= 4 ? body.coordinatorKeys : [body.key];
      const entries = keys.map((key) => {
        const nodeId = state.coordinators.get(key);
        const node = state.brokers.find((b) => b.nodeId === nodeId);
        const errorCode = nextError(state, api.apiKey) || (node ? 0 : 15);
        return errorCode !== 0
          ? { key, nodeId: -1, host: '', port: -1, errorCode, errorMessage: null }
          : {
              key,
              nodeId: node!.nodeId,
              host: node!.host,
              port: node!.port,
              errorCode: 0,
              errorMessage: null,
            };
      });
      if (version >= 4) return { throttleTimeMs: 0, coordinators: entries };
      const [{ key: _key, ...entry }] = entries;
      return { throttleTimeMs: 0, ...entry };
    }
    default:
      throw new Error(`the fake broker does not answer ${api.name}`);
  }
}
