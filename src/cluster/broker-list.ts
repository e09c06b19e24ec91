import { KafkaRxError } from '../errors';
import type { BrokerAddress } from '../transport/transport';

/**
 * Parses a bootstrap address, `host:port` or `[ipv6]:port`. Throws a `ConfigurationError` naming
 * the bad entry rather than connecting somewhere unexpected.
 */
export function parseBrokerAddress(address: string): BrokerAddress {
  const match = /^(?:\[([^\]]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(address.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port < 1 || port > 65535) {
    throw new KafkaRxError(
      'ConfigurationError',
      `bad broker address ${JSON.stringify(address)}: expected host:port`,
    );
  }
  return { host: match[1] ?? match[2], port, nodeId: -1 };
}

/** `host:port`, the key of a broker's connection. */
export function brokerKey(broker: BrokerAddress): string {
  return `${broker.host}:${broker.port}`;
}
