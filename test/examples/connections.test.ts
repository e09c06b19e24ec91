import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main as connections } from '../../examples/connections';
import { KafkaRxError, type TransportEvent } from '../../src';
import { createFakeCluster, type FakeCluster } from '../../src/testing';

// The example over TLS, through a TLS proxy (with a certificate for kafka.internal signed by the
// example's CA file) in front of the fake cluster. The fake cluster speaks no SASL, so the
// connection gets as far as the SASL handshake, where the example's consumer must stop for good.
describe('examples/connections', () => {
  let cluster: FakeCluster;
  let brokers: string[];
  let dir: string;
  let proxy: Server;

  beforeEach(async () => {
    cluster = createFakeCluster({ topics: { billing: 1 } });
    brokers = (await cluster.listen()).brokers;
    dir = mkdtempSync(join(tmpdir(), 'kafka-rx-connections-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=kafka.internal',
        '-addext',
        'subjectAltName=DNS:kafka.internal',
        '-keyout',
        join(dir, 'ca.key'),
        '-out',
        join(dir, 'ca.pem'),
      ],
      { stdio: 'ignore' },
    );
    const [host, port] = brokers[0].split(':');
    proxy = createServer(
      { key: readFileSync(join(dir, 'ca.key')), cert: readFileSync(join(dir, 'ca.pem')) },
      (tls) => {
        const plain = connect(Number(port), host);
        tls.pipe(plain).pipe(tls);
        tls.on('error', () => plain.destroy());
        plain.on('error', () => tls.destroy());
      },
    );
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    await new Promise((resolve) => proxy.close(resolve));
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects over TLS with the CA file, then asks for SASL SCRAM-SHA-512', async () => {
    const events: TransportEvent[] = [];

    const read = connections({
      brokers: [`127.0.0.1:${(proxy.address() as AddressInfo).port}`],
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
