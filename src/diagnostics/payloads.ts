/**
 * The payloads published on kafka-rx's channels (see `channels`). Each is one object per
 * operation: the same object goes through `start`, `end`, `error`, `asyncStart` and `asyncEnd`,
 * gaining its outcome (`error`, or the fields marked "on completion") before `asyncStart`.
 * They are made only through `payloads`, and only when someone listens.
 */

/** A broker as the payloads name it (the transport's `BrokerAddress`). */
export interface TracedBroker {
  readonly host: string;
  readonly port: number;
  readonly nodeId?: number;
}

/** `kafka-rx:request`: one Kafka request, from queueing on its connection to its response. */
export interface RequestTrace {
  readonly apiKey: number;
  readonly apiName: string;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly broker: TracedBroker;
  readonly clientId: string;
  /** On completion: from writing the request to its response (0 when it never was written). */
  latencyMs?: number;
  error?: Error;
}

/** `kafka-rx:connect`: opening a connection, negotiating versions and authenticating. */
export interface ConnectTrace {
  readonly broker: TracedBroker;
  readonly clientId: string;
  /** On completion: how long it took, on the clock. */
  durationMs?: number;
  error?: Error;
}

/**
 * `kafka-rx:produce.send`: one `producer.send()`, until every record is acknowledged.
 * `records` is the producer's own copy: a `start` subscriber may replace a record in it (to add a
 * header, as the OpenTelemetry integration adds `traceparent`); the producer sends what it holds
 * after `start`.
 */
export interface ProduceSendTrace<R = unknown, M = unknown> {
  readonly clientId: string;
  readonly records: R[];
  /** On completion: each record's metadata, in the order given. */
  result?: readonly M[];
  error?: unknown;
}

/** A batch of one partition inside a Produce request. */
export interface TracedBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: number;
  /** The encoded (and compressed) batch. */
  readonly bytes: number;
}

/** `kafka-rx:produce.batch`: one Produce request to a leader, carrying a batch per partition. */
export interface ProduceBatchTrace {
  readonly clientId: string;
  readonly broker: TracedBroker;
  readonly acks: number;
  readonly batches: readonly TracedBatch[];
  /** Records and bytes in all the batches. */
  readonly records: number;
  readonly bytes: number;
  error?: unknown;
}

/** `kafka-rx:fetch`: one Fetch request of a consumer to a broker, and the handling of its response. */
export interface FetchTrace {
  readonly clientId: string;
  readonly groupId: string;
  readonly broker: TracedBroker;
  /** Partitions asked for. */
  readonly partitions: number;
  /** On completion: records and bytes of record batches received (0 when it failed). */
  records: number;
  bytes: number;
  error?: unknown;
}

/** `kafka-rx:commit`: one offset commit (auto, manual, on revoke or on close), as `commits$` reports it. */
export interface CommitTrace<O = unknown, R = unknown> {
  readonly clientId: string;
  readonly groupId: string;
  readonly trigger: string;
  /** What was asked for; null for "everything consumed so far". */
  readonly offsets: readonly O[] | null;
  /** On completion: the commit's result (also on `commits$`). */
  result?: R;
  /** The result's error, when it failed. */
  error?: unknown;
}

/** `kafka-rx:process`: one record through `processRecords`, from its handler's call to its work's end. */
export interface ProcessTrace<C = unknown> {
  readonly record: C;
  error?: unknown;
}

/** `kafka-rx:rebalance` (a plain channel): partitions assigned, revoked or lost by a consumer. */
export interface RebalanceMessage<P = unknown> {
  readonly clientId: string;
  readonly groupId: string;
  readonly type: 'assigned' | 'revoked' | 'lost';
  readonly partitions: readonly P[];
}

/**
 * The only makers of payloads. Call sites check `isTraced` (or `hasSubscribers`) first, so with
 * nobody listening none of these runs (a test spies on them to hold that).
 */
export const payloads = {
  request: (
    apiKey: number,
    apiName: string,
    apiVersion: number,
    correlationId: number,
    broker: TracedBroker,
    clientId: string,
  ): RequestTrace => ({ apiKey, apiName, apiVersion, correlationId, broker, clientId }),
  connect: (broker: TracedBroker, clientId: string): ConnectTrace => ({ broker, clientId }),
  produceSend: <R, M>(clientId: string, records: readonly R[]): ProduceSendTrace<R, M> => ({
    clientId,
    records: [...records],
  }),
  produceBatch: (
    clientId: string,
    broker: TracedBroker,
    acks: number,
    batches: readonly TracedBatch[],
  ): ProduceBatchTrace => ({
    clientId,
    broker,
    acks,
    batches,
    records: batches.reduce((n, b) => n + b.records, 0),
    bytes: batches.reduce((n, b) => n + b.bytes, 0),
  }),
  fetch: (clientId: string, groupId: string, broker: TracedBroker, partitions: number): FetchTrace => ({
    clientId,
    groupId,
    broker,
    partitions,
    records: 0,
    bytes: 0,
  }),
  commit: <O, R>(
    clientId: string,
    groupId: string,
    trigger: string,
    offsets: readonly O[] | null,
  ): CommitTrace<O, R> => ({ clientId, groupId, trigger, offsets }),
  process: <C>(record: C): ProcessTrace<C> => ({ record }),
  rebalance: <P>(
    clientId: string,
    groupId: string,
    type: RebalanceMessage['type'],
    partitions: readonly P[],
  ): RebalanceMessage<P> => ({ clientId, groupId, type, partitions }),
};
