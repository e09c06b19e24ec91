import { firstValueFrom } from 'rxjs';
import { startMockCluster, type MockCluster } from '../broker/mock-cluster';
import { metadataRequest } from '../../src/cluster/metadata-response';
import type { KafkaRxError } from '../../src/errors';
import { Metadata } from '../../src/protocol/specs';
import { createTcpTransport, type TcpTransportOptions } from '../../src/transport/tcp-transport';
import type { InstrumentedTransport } from '../../src/transport/transport';
import {
  selfSignedCertificate,
  startTlsProxy,
  type SelfSignedCertificate,
  type TlsProxy,
} from '../support/tls-proxy';

describe('TLS (through a TLS-terminating proxy in front of the mock broker)', () => {
  let mock: MockCluster;
  let proxy: TlsProxy;
  let certificate: SelfSignedCertificate;
  const transports: InstrumentedTransport[] = [];
  const transport = (tls: TcpTransportOptions['tls']) => {
    const t = createTcpTransport({ tls, connectTimeoutMs: 5000 });
    transports.push(t);
    return t;
  };
  const metadata = (t: InstrumentedTransport, host = proxy.host) =>
    firstValueFrom(t.request({ host, port: proxy.port }, Metadata, metadataRequest(['tls'], false)));
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (e: KafkaRxError) => e,
    );

  beforeAll(async () => {
    certificate = selfSignedCertificate();
    mock = await startMockCluster({ brokers: 1, topics: [{ name: 'tls', partitions: 1 }] });
    proxy = await startTlsProxy(mock.brokers[0], certificate);
  });
  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.close()));
  });
  afterAll(async () => {
    await proxy?.close();
    await mock?.stop();
  });

  it('talks to the broker with the CA given and the certificate name checked (servername)', async () => {
    const body = await metadata(transport({ ca: certificate.cert, servername: 'localhost' }));
    expect(body.topics[0]).toMatchObject({ name: 'tls', errorCode: 0 });
  });

  it('checks the certificate against the broker host name by default (localhost)', async () => {
    const body = await metadata(transport({ ca: certificate.cert }), 'localhost');
    expect(body.topics[0].name).toBe('tls');
  });

  it('refuses a certificate from an unknown CA with a non-retriable TlsError', async () => {
    const error = await failure(metadata(transport(true)));
    expect(error.name).toBe('TlsError');
    expect(error.retriable).toBe(false);
    expect(error.message).toMatch(/self.signed certificate/i);
  });

  it('refuses a certificate for another name', async () => {
    const error = await failure(
      metadata(transport({ ca: certificate.cert, servername: 'kafka.example.com' })),
    );
    expect(error.name).toBe('TlsError');
    expect(error.message).toMatch(/kafka\.example\.com/);
  });

  describe('with client certificates (mTLS)', () => {
    let mutualProxy: TlsProxy;
    let client: SelfSignedCertificate;
    beforeAll(async () => {
      client = selfSignedCertificate('client');
      mutualProxy = await startTlsProxy(mock.brokers[0], certificate, client.cert);
    });
    afterAll(async () => {
      await mutualProxy?.close();
    });
    const mutualMetadata = (t: InstrumentedTransport) =>
      firstValueFrom(
        t.request(
          { host: mutualProxy.host, port: mutualProxy.port },
          Metadata,
          metadataRequest(['tls'], false),
        ),
      );

    it('presents the certificate and key given as cert and key', async () => {
      const body = await mutualMetadata(
        transport({ ca: certificate.cert, cert: client.cert, key: client.key }),
      );
      expect(body.topics[0].name).toBe('tls');
    });

    it('fails with a non-retriable TlsError when the broker wants a certificate and gets none', async () => {
      // Under TLS 1.3 the broker's refusal comes after the handshake, as an alert.
      const error = await failure(mutualMetadata(transport({ ca: certificate.cert })));
      expect(error.name).toBe('TlsError');
      expect(error.retriable).toBe(false);
      expect(error.message).toMatch(/certificate required/i);
    });
  });

  it('accepts any certificate with rejectUnauthorized: false', async () => {
    const body = await metadata(transport({ rejectUnauthorized: false }));
    expect(body.topics[0].name).toBe('tls');
  });
});
