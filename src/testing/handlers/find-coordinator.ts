import { of } from 'rxjs';
import { ErrorCode, errorCodeEntry } from '../../protocol/errors';
import { FindCoordinator } from '../../protocol/specs';
import type { ResponseBodyOf } from '../../protocol/spec-types';
import type { ClusterState } from '../broker-state/cluster-state';
import type { ApiHandler, BrokerRequest } from './handler';

interface Coordinator {
  readonly key: string;
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly errorCode: number;
  readonly errorMessage: string | null;
}

function failed(key: string, errorCode: number): Coordinator {
  return {
    key,
    nodeId: -1,
    host: '',
    port: -1,
    errorCode,
    errorMessage: errorCodeEntry(errorCode)?.message ?? null,
  };
}

function find(
  request: BrokerRequest<typeof FindCoordinator>,
  cluster: ClusterState,
  key: string,
  keyType: number,
): Coordinator {
  // 0 = group, 1 = transaction.
  if (keyType !== 0 && keyType !== 1) return failed(key, ErrorCode.INVALID_REQUEST);
  const nodeId = cluster.coordinatorFor(key);
  if (nodeId < 0) return failed(key, ErrorCode.COORDINATOR_NOT_AVAILABLE);
  return {
    key,
    nodeId,
    ...cluster.address(nodeId, request.listener),
    errorCode: ErrorCode.NONE,
    errorMessage: null,
  };
}

function response(version: number, coordinators: Coordinator[]): ResponseBodyOf<typeof FindCoordinator> {
  if (version >= 4) return { throttleTimeMs: 0, coordinators };
  const [c] = coordinators;
  return {
    throttleTimeMs: 0,
    errorCode: c.errorCode,
    errorMessage: c.errorMessage,
    nodeId: c.nodeId,
    host: c.host,
    port: c.port,
  };
}

function keysOf(request: BrokerRequest<typeof FindCoordinator>): readonly string[] {
  // coordinatorKeys is v4+, key v0-3.
  return request.version >= 4 ? (request.body.coordinatorKeys ?? []) : [request.body.key ?? ''];
}

/** FindCoordinator (key 10): the broker that coordinates a group, one key (v0-3) or many (v4+). */
export const findCoordinatorHandler: ApiHandler<typeof FindCoordinator> = {
  api: FindCoordinator,
  handle(request, cluster) {
    const keyType: number = request.body.keyType ?? 0;
    return of(
      response(
        request.version,
        keysOf(request).map((key) => find(request, cluster, key, keyType)),
      ),
    );
  },
  errorResponse(request, errorCode) {
    return response(
      request.version,
      keysOf(request).map((key) => failed(key, errorCode)),
    );
  },
};
