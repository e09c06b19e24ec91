import { channel, tracingChannel, type Channel, type TracingChannel } from 'node:diagnostics_channel';
import type {
  CommitTrace,
  ConnectTrace,
  FetchTrace,
  ProcessTrace,
  ProduceBatchTrace,
  ProduceSendTrace,
  RebalanceMessage,
  RequestTrace,
} from './payloads';

/** Every channel name starts with this, so a subscriber can tell kafka-rx's apart. */
export const CHANNEL_PREFIX = 'kafka-rx:';

/** The names of kafka-rx's channels: stable, part of the public API (README, "Observability"). */
export const channelNames = {
  request: `${CHANNEL_PREFIX}request`,
  connect: `${CHANNEL_PREFIX}connect`,
  produceSend: `${CHANNEL_PREFIX}produce.send`,
  produceBatch: `${CHANNEL_PREFIX}produce.batch`,
  fetch: `${CHANNEL_PREFIX}fetch`,
  commit: `${CHANNEL_PREFIX}commit`,
  process: `${CHANNEL_PREFIX}process`,
  rebalance: `${CHANNEL_PREFIX}rebalance`,
} as const;

/**
 * The channels themselves. Operations are tracing channels (`start`, `end`, then `asyncStart`
 * and `asyncEnd` when the operation completes, `error` before them when it fails); a rebalance
 * is a moment, not an operation, so it is a plain channel.
 */
export const channels = {
  request: tracingChannel<RequestTrace, RequestTrace>(channelNames.request),
  connect: tracingChannel<ConnectTrace, ConnectTrace>(channelNames.connect),
  produceSend: tracingChannel<ProduceSendTrace, ProduceSendTrace>(channelNames.produceSend),
  produceBatch: tracingChannel<ProduceBatchTrace, ProduceBatchTrace>(channelNames.produceBatch),
  fetch: tracingChannel<FetchTrace, FetchTrace>(channelNames.fetch),
  commit: tracingChannel<CommitTrace, CommitTrace>(channelNames.commit),
  process: tracingChannel<ProcessTrace, ProcessTrace>(channelNames.process),
  rebalance: channel(channelNames.rebalance) as Channel<RebalanceMessage, RebalanceMessage>,
};

/**
 * Whether anyone listens to any event of `traced`. Read at each operation, before any payload is
 * made: nobody listening costs this check and nothing else. (`TracingChannel.hasSubscribers`
 * is missing before Node 20.13, so the five channels are asked one by one.)
 */
export function isTraced(traced: TracingChannel<object, object>): boolean {
  return (
    traced.start.hasSubscribers ||
    traced.end.hasSubscribers ||
    traced.asyncStart.hasSubscribers ||
    traced.asyncEnd.hasSubscribers ||
    traced.error.hasSubscribers
  );
}
