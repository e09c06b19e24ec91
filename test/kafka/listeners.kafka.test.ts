import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { createProducer } from '../../src/producer';
import { createTcpTransport, type TcpTransportOptions } from '../../src/transport/tcp-transport';
import { consoleConsume } from '../broker/kafka/console-tools';
import { startKafka, type KafkaCluster } from '../broker/kafka/kafka-cluster';
import { createTopics } from '../broker/kafka/topics';

const PLAIN_JAAS =
  'org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="alice-secret";';
const SCRAM_JAAS = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';

/**
 * kafka-rx through Apache Kafka's SASL_PLAINTEXT listener (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)
 * and its SSL listener (a certificate made with openssl for 127.0.0.1), one broker with both.
 */
describe('SASL and SSL listeners of Apache Kafka', () => {
  let cluster: KafkaCluster;
  let dir: string;
  let cert: Buffer;
  const topic = 'secured';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kafka-rx-tls-'));
    const keyAndCert = join(dir, 'broker.pem');
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
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'));
    execFileSync('sh', ['-c', `cat "${dir}/key.pem" "${dir}/cert.pem" > "${keyAndCert}"`]);
    cluster = await startKafka({
      listeners: [
        { name: 'SASL_PLAINTEXT', protocol: 'SASL_PLAINTEXT' },
        { name: 'SSL', protocol: 'SSL' },
      ],
      config: {
        'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
        'listener.name.sasl_plaintext.plain.sasl.jaas.config': PLAIN_JAAS,
        'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config': SCRAM_JAAS,
        'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config': SCRAM_JAAS,
        'listener.name.ssl.ssl.keystore.type': 'PEM',
        'listener.name.ssl.ssl.keystore.location': keyAndCert,
      },
      formatArgs: [
        '--add-scram',
        'SCRAM-SHA-256=[name=bob,password=bob-secret]',
        '--add-scram',
        'SCRAM-SHA-512=[name=carol,password=carol-secret]',
      ],
    });
    await createTopics(cluster.bootstrap, [{ name: topic }]);
  }, 60000);
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function sendThrough(listener: string, options: TcpTransportOptions, value: string): Promise<bigint> {
    const producer = createProducer({
      brokers: [cluster.listenerBootstrap(listener)],
      transport: createTcpTransport(options),
      retries: 0,
    });
    try {
      const [metadata] = await lastValueFrom(producer.send([{ topic, value }]));
      return metadata.offset;
    } finally {
      await producer.close();
    }
  }

  it('writes through every mechanism and TLS; Kafka keeps each record', async () => {
    const values = ['plain', 'scram-sha-256', 'scram-sha-512', 'tls'];
    const offsets = [
      await sendThrough(
        'SASL_PLAINTEXT',
        { sasl: { mechanism: 'plain', username: 'alice', password: 'alice-secret' } },
        values[0],
      ),
      await sendThrough(
        'SASL_PLAINTEXT',
        { sasl: { mechanism: 'scram-sha-256', username: 'bob', password: 'bob-secret' } },
        values[1],
      ),
      await sendThrough(
        'SASL_PLAINTEXT',
        { sasl: { mechanism: 'scram-sha-512', username: 'carol', password: 'carol-secret' } },
        values[2],
      ),
      await sendThrough('SSL', { tls: { ca: cert } }, values[3]),
    ];
    expect(offsets).toEqual([0n, 1n, 2n, 3n]);
    expect((await consoleConsume({ bootstrap: cluster.bootstrap, topic })).map((r) => r.value)).toEqual(
      values,
    );
  }, 60000);

  it('fails fast with AuthenticationError on a wrong password', async () => {
    const started = performance.now();
    await expect(
      sendThrough(
        'SASL_PLAINTEXT',
        { sasl: { mechanism: 'scram-sha-256', username: 'bob', password: 'wrong' } },
        'x',
      ),
    ).rejects.toMatchObject({ name: 'AuthenticationError' });
    expect(performance.now() - started).toBeLessThan(10000);
  }, 30000);

  it('refuses a broker certificate it does not trust', async () => {
    await expect(sendThrough('SSL', { tls: true }, 'x')).rejects.toMatchObject({
      name: 'TlsError',
    });
  }, 30000);
});
