import { describeValue } from '../config/describe-value';
import { ConfigError } from '../config/config-error';
import type { BrokerAddress } from '../transport/transport';

/**
 * Parses a bootstrap address, `host:port` or `[ipv6]:port`. Throws a `ConfigError` naming
 * the bad entry rather than connecting somewhere unexpected.
 */
export function parseBrokerAddress(address: string): BrokerAddress {
  if (typeof address !== 'string')
    throw new ConfigError(`bad broker address ${describeValue(address)}: expected "host:port"`);
  const match = /^(?:\[([^\]]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(address.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port < 1 || port > 65535) {
    throw new ConfigError(`bad broker address ${JSON.stringify(address)}: expected host:port`);
  }
  return { host: match[1] ?? match[2], port, nodeId: -1 };
}

/** `host:port`, the key of a broker's connection. */
export function brokerKey(broker: BrokerAddress): string {
  return `${broker.host}:${broker.port}`;
}
