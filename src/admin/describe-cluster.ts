import { map, type Observable } from 'rxjs';
import { DescribeCluster } from '../protocol/specs';
import { requestOptions, type AdminContext } from './admin-context';
import { itemError } from './item-error';

export interface BrokerDescription {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
}

export interface ClusterDescription {
  readonly clusterId: string;
  /** The node id the brokers name as controller (in KRaft, a broker that forwards to the quorum); -1 when none. */
  readonly controller: number;
  /** In node id order. */
  readonly brokers: readonly BrokerDescription[];
}

/** DescribeCluster to any broker: its brokers, controller and cluster id. A top-level error rejects. */
export function describeCluster$(ctx: AdminContext): Observable<ClusterDescription> {
  return ctx.cluster
    .requestAny(
      DescribeCluster,
      { includeClusterAuthorizedOperations: false, endpointType: 1 },
      requestOptions(ctx),
    )
    .pipe(
      map((response) => {
        const error = itemError(response.errorCode, 'DescribeCluster', response.errorMessage);
        if (error) throw error;
        return {
          clusterId: response.clusterId,
          controller: response.controllerId,
          brokers: response.brokers
            .map((b) => ({
              nodeId: b.brokerId,
              host: b.host,
              port: b.port,
              rack: b.rack ?? null,
            }))
            .sort((a, b) => a.nodeId - b.nodeId),
        };
      }),
    );
}
