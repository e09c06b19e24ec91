export { CHANNEL_PREFIX, channelNames, channels, isTraced } from './channels';
export {
  payloads,
  type CommitTrace,
  type ConnectTrace,
  type FetchTrace,
  type ProcessTrace,
  type ProduceBatchTrace,
  type ProduceSendTrace,
  type RebalanceMessage,
  type RequestTrace,
  type TracedBatch,
  type TracedBroker,
} from './payloads';
export { traced } from './traced';
