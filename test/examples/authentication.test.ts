import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mutualTls, oauthBearer } from '../../examples/authentication';
import { createFakeCluster, type FakeCluster } from '../../src/testing';
import { startSaslFakeBroker, type SaslFakeBroker } from '../support/sasl-fake-broker';
import { selfSignedCertificate, startTlsProxy, type TlsProxy } from '../support/tls-proxy';
import { unsecuredJws } from '../support/unsecured-jws';

describe('examples/authentication', () => {
  describe('oauthbearer, against a scripted broker with an unsecured validator', () => {
    let broker: SaslFakeBroker;
    beforeEach(async () => {
      broker = await startSaslFakeBroker({ mechanisms: ['OAUTHBEARER'] });
    });
    afterEach(() => broker.close());

    it('authenticates with the fetched token and its extension', async () => {
      const fetchToken = async () => {
        const now = Date.now();
        return {
          accessToken: unsecuredJws({ sub: 'billing', iatMs: now, expMs: now + 60000 }),
          expiresInS: 60,
        };
      };
      await expect(oauthBearer({ brokers: [`${broker.host}:${broker.port}`], fetchToken })).resolves.toEqual(
        [],
      );
      expect(broker.attempts).toEqual([
        { mechanism: 'OAUTHBEARER', username: 'billing', ok: true, extensions: { traceId: 'billing' } },
      ]);
    });
  });

  describe('mtls, through a TLS proxy requiring client certificates in front of the fake cluster', () => {
    let cluster: FakeCluster;
    let proxy: TlsProxy;
    let dir: string;
    const server = selfSignedCertificate();
    const client = selfSignedCertificate('billing');

    beforeEach(async () => {
      cluster = createFakeCluster({ topics: { billing: 1 } });
      const [address] = (await cluster.listen()).brokers;
      const [host, port] = address.split(':');
      proxy = await startTlsProxy({ host, port: Number(port) }, server, client.cert);
      dir = mkdtempSync(join(tmpdir(), 'kafka-rx-mtls-'));
      writeFileSync(join(dir, 'ca.pem'), server.cert);
      writeFileSync(join(dir, 'client.pem'), client.cert);
      writeFileSync(join(dir, 'client.key'), client.key);
    });
    afterEach(async () => {
      await proxy.close();
      await cluster.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('lists the topics presenting the client certificate', async () => {
      const topics = await mutualTls({
        // One Metadata request, to the bootstrap address: the proxy (the fake cluster advertises its own).
        brokers: [`${proxy.host}:${proxy.port}`],
        caFile: join(dir, 'ca.pem'),
        certFile: join(dir, 'client.pem'),
        keyFile: join(dir, 'client.key'),
      });
      expect(topics).toEqual(['billing']);
    });
  });
});
