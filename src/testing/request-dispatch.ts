import { defer, Observable, throwError, timer, mergeMap, map, catchError, of } from 'rxjs';
import { KafkaRxError } from '../errors';
import { decodeRequest, encodeResponse } from '../protocol/codec';
import { UnsupportedRequestError } from '../protocol/errors';
import { ApiVersions } from '../protocol/specs';
import type { Message } from '../protocol/spec';
import type { ClusterState, Listener } from './broker-state/cluster-state';
import { handlers, unsupportedApiVersionsResponse, type BrokerRequest } from './handlers';

/** Where a request frame came from. */
export interface FrameSource {
  readonly nodeId: number;
  readonly listener: Listener;
  readonly clientHost: string;
}

/** A request the fake broker will not answer: the connection is closed, as Kafka closes it. */
export class FakeBrokerRequestError extends KafkaRxError {
  constructor(message: string, cause?: unknown) {
    super('FakeBrokerRequestError', message, { cause });
  }
}

function lookup(apiKey: number) {
  return handlers.get(apiKey)?.api;
}

/**
 * One fake broker's handling of one request frame (without its size prefix): decode, apply
 * injected faults, run the API's handler, encode. Emits the response frame WITH its size prefix,
 * `undefined` when there is none (acks=0), or errors when the connection should be closed:
 * bytes that do not decode, an API or version the broker does not speak (except ApiVersions,
 * which gets UNSUPPORTED_VERSION in a v0 body, as Kafka answers). It never throws.
 */
export function dispatchFrame(
  cluster: ClusterState,
  source: FrameSource,
  frame: Buffer,
): Observable<Buffer | undefined> {
  return defer(() => {
    let decoded: ReturnType<typeof decodeRequest>;
    try {
      decoded = decodeRequest(frame, lookup);
    } catch (e) {
      if (e instanceof UnsupportedRequestError && e.header.apiKey === ApiVersions.apiKey) {
        return of(encodeResponse(ApiVersions, 0, e.header.correlationId, unsupportedApiVersionsResponse()));
      }
      return throwError(
        () =>
          new FakeBrokerRequestError(
            `broker ${source.nodeId} closes the connection: ${(e as Error).message}`,
            e,
          ),
      );
    }
    const { header, api, body } = decoded;
    const handler = handlers.get(api.apiKey);
    if (handler === undefined) {
      return throwError(
        () => new FakeBrokerRequestError(`broker ${source.nodeId} has no handler for ${api.name}`),
      );
    }
    const request: BrokerRequest = {
      nodeId: source.nodeId,
      listener: source.listener,
      version: header.apiVersion,
      clientId: header.clientId,
      clientHost: source.clientHost,
      body,
    };
    const handle = (): Observable<Message | undefined> => {
      const injected = cluster.faults.takeError(api.apiKey, source.nodeId);
      if (injected !== undefined) return of(handler.errorResponse(request, injected));
      return handler.handle(request, cluster);
    };
    const delayMs = cluster.faults.delayOf(api.apiKey);
    const response$ = delayMs > 0 ? timer(delayMs, cluster.clock).pipe(mergeMap(handle)) : defer(handle);
    return response$.pipe(
      map((response) =>
        response === undefined
          ? undefined
          : encodeResponse(api, header.apiVersion, header.correlationId, response),
      ),
      catchError((e: unknown) =>
        throwError(
          () =>
            new FakeBrokerRequestError(
              `broker ${source.nodeId} failed on ${api.name} v${header.apiVersion}: ${(e as Error).message}`,
              e,
            ),
        ),
      ),
    );
  });
}
