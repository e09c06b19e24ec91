/**
 * AWS Signature Version 4 for a presigned request (the query-string form), with node:crypto only:
 * what the AWS_MSK_IAM example mechanism signs its payload with. Steps as AWS documents them:
 * canonical request, string to sign, signing key, signature.
 */
import { createHash, createHmac } from 'node:crypto';

export interface PresignInput {
  readonly method: string;
  readonly host: string;
  /** The canonical URI, e.g. `/`. */
  readonly path: string;
  /** Query parameters without X-Amz-Signature (the X-Amz-* ones included). */
  readonly query: Readonly<Record<string, string>>;
  /** Hex SHA-256 of the payload, or `UNSIGNED-PAYLOAD`. */
  readonly payloadHash: string;
  readonly secretAccessKey: string;
  /** `yyyyMMddTHHmmssZ`, as in X-Amz-Date. */
  readonly amzDate: string;
  readonly region: string;
  readonly service: string;
}

/** RFC 3986 unreserved characters stay; every other byte is %XX (upper case), `/` included. */
export function uriEncode(text: string): string {
  return Array.from(Buffer.from(text, 'utf8'))
    .map((byte) => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
}

/** The hex signature of a presigned request (X-Amz-SignedHeaders must be `host`). */
export function presignedSignature(input: PresignInput): string {
  const date = input.amzDate.slice(0, 8);
  const scope = `${date}/${input.region}/${input.service}/aws4_request`;
  const canonicalQuery = Object.entries(input.query)
    .map(([k, v]) => [uriEncode(k), uriEncode(v)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [
    input.method,
    input.path,
    canonicalQuery,
    `host:${input.host}\n`,
    'host',
    input.payloadHash,
  ].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    input.amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  return createHmac('sha256', signingKey(input.secretAccessKey, date, input.region, input.service))
    .update(stringToSign)
    .digest('hex');
}
