import type { Observable } from 'rxjs';
import { createCluster } from '../cluster';
import type { Cluster } from '../cluster/cluster';
import type { Clock } from '../time/clock';
import { defaultTransport, type ClientConnectionOptions } from '../transport/default-transport';
import type { InstrumentedTransport, Transport, TransportEvent } from '../transport/transport';

/** What a consumer's resolved configuration says about reaching the cluster. */
export interface ClusterSettings {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly clock: Clock;
  readonly metadataMaxAgeMs: number;
  readonly retryBackoffMs: number;
  readonly retryBackoffMaxMs: number;
  readonly bootstrapTimeoutMs: number;
  readonly requestTimeoutMs?: number;
}

function isInstrumented(t: Transport): t is InstrumentedTransport {
  return 'events$' in t && (t as InstrumentedTransport).events$ !== undefined;
}

/**
 * The cluster a consumer or share consumer (`what`, for errors) works on: over the transport its
 * options give (TCP by default), with the transport's instrumentation for its `events$` when the
 * transport has any.
 */
export function connectCluster(
  what: string,
  options: ClientConnectionOptions,
  settings: ClusterSettings,
): { cluster: Cluster; transportEvents$: Observable<TransportEvent> | undefined } {
  const transport = defaultTransport(what, options, {
    clientId: settings.clientId,
    clock: settings.clock,
    requestTimeoutMs: settings.requestTimeoutMs,
  });
  const cluster = createCluster({
    brokers: settings.brokers,
    transport,
    clock: settings.clock,
    metadataMaxAgeMs: settings.metadataMaxAgeMs,
    retryBackoffMs: settings.retryBackoffMs,
    retryBackoffMaxMs: settings.retryBackoffMaxMs,
    bootstrapTimeoutMs: settings.bootstrapTimeoutMs,
  });
  return { cluster, transportEvents$: isInstrumented(transport) ? transport.events$ : undefined };
}
