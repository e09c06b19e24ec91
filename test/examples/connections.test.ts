import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main as connections } from '../../examples/connections';
import { KafkaRxError, type TransportEvent } from '../../src';
import { createFakeCluster, type FakeCluster } from '../../src/testing';
import { selfSignedPem } from '../support/openssl';
import { startTlsProxy, type TlsProxy } from '../support/tls-proxy';

// The example over TLS, through a TLS proxy (with a certificate for kafka.internal signed by the
// example's CA file) in front of the fake cluster. The fake cluster speaks no SASL, so the
// connection gets as far as the SASL handshake, where the example's consumer must stop for good.
describe('examples/connections', () => {
  let cluster: FakeCluster;
  let brokers: string[];
  let dir: string;
  let proxy: TlsProxy;

  beforeEach(async () => {
    cluster = createFakeCluster({ topics: { billing: 1 } });
    brokers = (await cluster.listen()).brokers;
    dir = mkdtempSync(join(tmpdir(), 'kafka-rx-connections-'));
    const ca = selfSignedPem(dir, 'ca', '/CN=kafka.internal', 'DNS:kafka.internal');
    const [host, port] = brokers[0].split(':');
    proxy = await startTlsProxy(
      { host, port: Number(port) },
      { key: readFileSync(ca.key), cert: readFileSync(ca.cert) },
    );
  });
  afterEach(async () => {
    await proxy.close();
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects over TLS with the CA file, then asks for SASL SCRAM-SHA-512', async () => {
    const events: TransportEvent[] = [];

    const read = connections({
      brokers: [`${proxy.host}:${proxy.port}`],
      caFile: join(dir, 'ca.pem'),
      password: 'secret',
      log: (_type, event) => events.push(event),
    });

    await expect(read).rejects.toBeInstanceOf(KafkaRxError);
    // TLS held (with the example's CA and server name): ApiVersions went through the proxy...
    expect(events[0]).toMatchObject({ type: 'request', api: 'ApiVersions' });
    // ...and then SASL was asked for, which the fake cluster does not speak.
    expect(events[1]).toMatchObject({ type: 'connect-error', error: { name: 'UnsupportedVersionError' } });
    expect((events[1] as { error: Error }).error.message).toMatch(/SaslHandshake/);
  });
});
