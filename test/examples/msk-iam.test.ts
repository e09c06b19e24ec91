import { createHash } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { awsMskIam, main as mskIamExample, mskIamPayload } from '../../examples/msk-iam';
import { presignedSignature, signingKey } from '../../examples/sigv4';
import { metadataRequest } from '../../src/cluster/metadata-response';
import { Metadata } from '../../src/protocol/specs';
import { createTcpTransport } from '../../src/transport/tcp-transport';
import { startSaslFakeBroker, type SaslFakeBroker } from '../support/sasl-fake-broker';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'secret-example',
  sessionToken: 'token/+=',
};
const at = new Date('2026-11-30T10:20:30.456Z');

describe('SigV4 in examples/sigv4.ts, against AWS’s documented examples', () => {
  it('derives the signing key of AWS’s example (IAM, us-east-1, 20120215)', () => {
    expect(
      signingKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20120215', 'us-east-1', 'iam').toString('hex'),
    ).toBe('f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d');
  });

  it('signs AWS’s presigned URL example (S3 GET /test.txt, 20130524)', () => {
    const signature = presignedSignature({
      method: 'GET',
      host: 'examplebucket.s3.amazonaws.com',
      path: '/test.txt',
      query: {
        'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
        'X-Amz-Credential': 'AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request',
        'X-Amz-Date': '20130524T000000Z',
        'X-Amz-Expires': '86400',
        'X-Amz-SignedHeaders': 'host',
      },
      payloadHash: 'UNSIGNED-PAYLOAD',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      amzDate: '20130524T000000Z',
      region: 'us-east-1',
      service: 's3',
    });
    expect(signature).toBe('aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
  });
});

describe('examples/msk-iam: AWS_MSK_IAM as a mechanism of the user’s own', () => {
  let broker: SaslFakeBroker;
  const payloads: Record<string, string>[] = [];

  /** The broker's side: the payload's fields, and the signature recomputed with the secret it knows. */
  const check = (authBytes: Buffer): { principal: string } | { error: string } => {
    const payload = JSON.parse(authBytes.toString('utf8')) as Record<string, string>;
    payloads.push(payload);
    const query: Record<string, string> = {
      Action: payload.action,
      'X-Amz-Algorithm': payload['x-amz-algorithm'],
      'X-Amz-Credential': payload['x-amz-credential'],
      'X-Amz-Date': payload['x-amz-date'],
      'X-Amz-Expires': payload['x-amz-expires'],
      'X-Amz-Security-Token': payload['x-amz-security-token'],
      'X-Amz-SignedHeaders': payload['x-amz-signedheaders'],
    };
    const expected = presignedSignature({
      method: 'GET',
      host: payload.host,
      path: '/',
      query,
      payloadHash: createHash('sha256').update('').digest('hex'),
      secretAccessKey: credentials.secretAccessKey,
      amzDate: payload['x-amz-date'],
      region: 'eu-west-1',
      service: 'kafka-cluster',
    });
    return payload['x-amz-signature'] === expected
      ? { principal: payload['x-amz-credential'].split('/')[0] }
      : { error: 'Access denied: the signature does not match' };
  };

  beforeEach(async () => {
    payloads.length = 0;
    broker = await startSaslFakeBroker({ mechanisms: ['AWS_MSK_IAM'], custom: { AWS_MSK_IAM: check } });
  });
  afterEach(async () => {
    await broker.close();
  });

  it('builds the payload AWS documents: fields, credential scope, date, expiry, token, signature', () => {
    const payload = mskIamPayload('b-1.msk.example.com', credentials, 'eu-west-1', at);
    expect(Object.keys(payload)).toEqual([
      'version',
      'host',
      'user-agent',
      'action',
      'x-amz-algorithm',
      'x-amz-credential',
      'x-amz-date',
      'x-amz-expires',
      'x-amz-security-token',
      'x-amz-signedheaders',
      'x-amz-signature',
    ]);
    expect(payload).toMatchObject({
      version: '2020_10_22',
      host: 'b-1.msk.example.com',
      action: 'kafka-cluster:Connect',
      'x-amz-algorithm': 'AWS4-HMAC-SHA256',
      'x-amz-credential': 'AKIDEXAMPLE/20261130/eu-west-1/kafka-cluster/aws4_request',
      'x-amz-date': '20261130T102030Z',
      'x-amz-expires': '900',
      'x-amz-security-token': 'token/+=',
      'x-amz-signedheaders': 'host',
    });
    expect(payload['x-amz-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(mskIamPayload('b-2.msk.example.com', credentials, 'eu-west-1', at)['x-amz-signature']).not.toBe(
      payload['x-amz-signature'],
    );
  });

  it('authenticates with a scripted broker that checks the signature for its host', async () => {
    const transport = createTcpTransport({
      sasl: { mechanism: awsMskIam({ region: 'eu-west-1', credentials: () => credentials }) },
    });
    try {
      const body = await firstValueFrom(
        transport.request({ host: broker.host, port: broker.port }, Metadata, metadataRequest([], false)),
      );
      expect(body.clusterId).toBe('sasl');
    } finally {
      await transport.close();
    }
    expect(broker.attempts).toEqual([{ mechanism: 'AWS_MSK_IAM', username: 'AKIDEXAMPLE', ok: true }]);
    expect(payloads[0].host).toBe('127.0.0.1');
  });

  it('is refused, once, with an AuthenticationError when the secret is wrong', async () => {
    const read = mskIamExample({
      brokers: [`${broker.host}:${broker.port}`],
      region: 'eu-west-1',
      tls: undefined,
      credentials: () => ({ ...credentials, secretAccessKey: 'wrong' }),
    });
    await expect(read).rejects.toMatchObject({
      name: 'AuthenticationError',
      message: expect.stringContaining('Access denied: the signature does not match'),
    });
    expect(broker.attempts).toEqual([{ mechanism: 'AWS_MSK_IAM', username: '', ok: false }]);
  });
});
