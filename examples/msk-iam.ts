/**
 * A SASL mechanism of your own: AWS_MSK_IAM, Amazon MSK's IAM authentication, built on kafka-rx's
 * `SaslMechanism` interface and signed with SigV4 through node:crypto (no AWS SDK). The client
 * sends one JSON payload, a presigned `kafka-cluster:Connect` request for the broker's host; the
 * broker answers with a non-empty JSON (its request id) when it accepts it.
 *
 *   import { createTcpTransport, type SaslMechanism } from 'kafka-rx';
 *
 * Run: node --require ./bench/register.js examples/msk-iam.ts host:9098 region
 * (credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN)
 */
import { createHash } from 'node:crypto';
import { lastValueFrom, take, toArray } from 'rxjs';
import {
  createConsumer,
  createTcpTransport,
  type ConsumerRecord,
  type SaslMechanism,
  type TcpTransportOptions,
} from '../src';
import { presignedSignature } from './sigv4';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface MskIamOptions {
  readonly region: string;
  /** Called at each authentication, so rotated credentials are picked up. */
  readonly credentials: () => AwsCredentials | Promise<AwsCredentials>;
  /** The signing time; the wall clock by default. */
  readonly now?: () => Date;
  readonly userAgent?: string;
}

const EMPTY_PAYLOAD_HASH = createHash('sha256').update('').digest('hex');
/** How long the signed payload is valid, in seconds (the value AWS recommends). */
const EXPIRES_S = '900';

/** `yyyyMMddTHHmmssZ` */
function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** The AWS_MSK_IAM authentication payload for one broker host, as AWS's library documents it. */
export function mskIamPayload(
  host: string,
  credentials: AwsCredentials,
  region: string,
  at: Date,
  userAgent = 'kafka-rx',
): Record<string, string> {
  const date = amzDate(at);
  const query: Record<string, string> = {
    Action: 'kafka-cluster:Connect',
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${credentials.accessKeyId}/${date.slice(0, 8)}/${region}/kafka-cluster/aws4_request`,
    'X-Amz-Date': date,
    'X-Amz-Expires': EXPIRES_S,
    ...(credentials.sessionToken ? { 'X-Amz-Security-Token': credentials.sessionToken } : {}),
    'X-Amz-SignedHeaders': 'host',
  };
  const signature = presignedSignature({
    method: 'GET',
    host,
    path: '/',
    query,
    payloadHash: EMPTY_PAYLOAD_HASH,
    secretAccessKey: credentials.secretAccessKey,
    amzDate: date,
    region,
    service: 'kafka-cluster',
  });
  const payload: Record<string, string> = { version: '2020_10_22', host, 'user-agent': userAgent };
  for (const [key, value] of Object.entries(query)) payload[key.toLowerCase()] = value;
  payload['x-amz-signature'] = signature;
  return payload;
}

/** AWS_MSK_IAM as a kafka-rx SASL mechanism. */
export function awsMskIam(options: MskIamOptions): SaslMechanism {
  return {
    name: 'AWS_MSK_IAM',
    async session({ broker }) {
      const credentials = await options.credentials();
      const payload = mskIamPayload(
        broker.host,
        credentials,
        options.region,
        options.now?.() ?? new Date(),
        options.userAgent,
      );
      return {
        start: () => Buffer.from(JSON.stringify(payload), 'utf8'),
        respond: (serverMessage) => {
          // Success is a non-empty answer (a JSON with the broker's request id); nothing follows.
          if (serverMessage.length === 0) throw new Error('AWS_MSK_IAM: the broker sent an empty answer');
          return undefined;
        },
      };
    },
  };
}

export interface MskIamExampleOptions {
  readonly brokers: string[];
  readonly region: string;
  readonly credentials: () => AwsCredentials;
  /** `true` on MSK (its IAM listener, port 9098, is TLS). */
  readonly tls: TcpTransportOptions['tls'];
}

/** Reads one record of `billing` as the IAM identity of the credentials. */
export async function main({
  brokers,
  region,
  credentials,
  tls,
}: MskIamExampleOptions): Promise<ConsumerRecord[]> {
  // #region msk-iam
  const transport = createTcpTransport({
    tls, // true on MSK: its IAM listener (port 9098) is TLS
    sasl: { mechanism: awsMskIam({ region, credentials }) }, // any { name, session } object
  });
  const consumer = createConsumer({ brokers, groupId: 'billing', topics: ['billing'], transport });
  // #endregion
  try {
    return await lastValueFrom(consumer.messages$.pipe(take(1), toArray()));
  } finally {
    await consumer.close();
  }
}

if (require.main === module) {
  const [brokers, region] = process.argv.slice(2);
  const env = process.env;
  void main({
    brokers: brokers.split(','),
    region,
    tls: true,
    credentials: () => ({
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
      sessionToken: env.AWS_SESSION_TOKEN,
    }),
  }).then(
    (records) => console.log(`${records.length} record read`),
    (error: Error) => console.error(`${error.name}: ${error.message}`),
  );
}
