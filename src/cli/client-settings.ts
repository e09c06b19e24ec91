import { readFileSync } from 'node:fs';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { didYouMean } from '../config';
import type { SaslOptions, SaslPasswordOptions } from '../transport';
import { parseBrokers, UsageError, type FlagSpec, type ParsedFlags } from './args';

/** How a command reaches the cluster: `--brokers` (`-b`) and kcat's `-X name=value` client settings. */
export interface Connection {
  readonly brokers: string[];
  readonly clientId: string;
  readonly tls?: TlsConnectionOptions | true;
  readonly sasl?: SaslOptions;
}

/** The flags every command that talks to a cluster takes. */
export const connectionFlags: Readonly<Record<string, FlagSpec>> = {
  brokers: { kind: 'string', required: true, short: 'b' },
  X: { kind: 'string', short: 'X', repeated: true },
};

/** The `-X` settings kafka-rx understands, by librdkafka's names (as kcat passes them). */
const SETTINGS = [
  'client.id',
  'security.protocol',
  'sasl.mechanism',
  'sasl.mechanisms',
  'sasl.username',
  'sasl.password',
  'ssl.ca.location',
  'enable.ssl.certificate.verification',
] as const;

const MECHANISMS: Record<string, SaslPasswordOptions['mechanism']> = {
  PLAIN: 'plain',
  'SCRAM-SHA-256': 'scram-sha-256',
  'SCRAM-SHA-512': 'scram-sha-512',
};

function readSettings(values: readonly string[]): Map<string, string> {
  const settings = new Map<string, string>();
  for (const pair of values) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`-X: "${pair}" is not name=value`);
    const name = pair.slice(0, eq);
    if (!(SETTINGS as readonly string[]).includes(name)) {
      const guess = didYouMean(name, SETTINGS);
      throw new UsageError(
        `-X: kafka-rx does not know the setting "${name}"${guess === undefined ? '' : ` (did you mean ${guess}?)`}; it knows ${SETTINGS.join(', ')}`,
      );
    }
    settings.set(name, pair.slice(eq + 1));
  }
  return settings;
}

/** The connection a command's flags describe; `clientId` unless `-X client.id=` says otherwise. */
export function connectionOf(flags: ParsedFlags, clientId: string): Connection {
  const settings = readSettings((flags.X as string[] | undefined) ?? []);
  const protocol = (settings.get('security.protocol') ?? 'plaintext').toLowerCase();
  if (!['plaintext', 'ssl', 'sasl_plaintext', 'sasl_ssl'].includes(protocol))
    throw new UsageError(
      `-X security.protocol must be plaintext, ssl, sasl_plaintext or sasl_ssl, not "${protocol}"`,
    );
  let tls: TlsConnectionOptions | true | undefined;
  if (protocol === 'ssl' || protocol === 'sasl_ssl') {
    const ca = settings.get('ssl.ca.location');
    const verify = settings.get('enable.ssl.certificate.verification') !== 'false';
    tls =
      ca === undefined && verify
        ? true
        : { ...(ca ? { ca: readFileSync(ca) } : {}), rejectUnauthorized: verify };
  }
  let sasl: SaslOptions | undefined;
  if (protocol.startsWith('sasl_')) {
    const name = (settings.get('sasl.mechanism') ?? settings.get('sasl.mechanisms') ?? 'PLAIN').toUpperCase();
    const mechanism = MECHANISMS[name];
    if (mechanism === undefined)
      throw new UsageError(`-X sasl.mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, not "${name}"`);
    const username = settings.get('sasl.username');
    const password = settings.get('sasl.password');
    if (username === undefined || password === undefined)
      throw new UsageError('-X sasl.username and sasl.password are required with SASL');
    sasl = { mechanism, username, password };
  }
  return {
    brokers: parseBrokers(flags.brokers as string),
    clientId: settings.get('client.id') ?? clientId,
    ...(tls !== undefined ? { tls } : {}),
    ...(sasl !== undefined ? { sasl } : {}),
  };
}
