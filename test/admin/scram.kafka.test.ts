import { createAdmin, type Admin } from '../../src/admin';
import { startKafka, type KafkaCluster } from '../broker/kafka/kafka-cluster';

const JAAS = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';

// A broker of its own with a SASL_PLAINTEXT listener, so that stored credentials can be tried.
describe('admin: SCRAM credentials against Apache Kafka', () => {
  let cluster: KafkaCluster;
  let admin: Admin;

  beforeAll(async () => {
    cluster = await startKafka({
      listeners: [{ name: 'SASL_PLAINTEXT', protocol: 'SASL_PLAINTEXT' }],
      config: {
        'sasl.enabled.mechanisms': 'SCRAM-SHA-256,SCRAM-SHA-512',
        'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config': JAAS,
        'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config': JAAS,
      },
    });
    admin = createAdmin({ brokers: [cluster.bootstrap] });
  }, 90000);
  afterAll(async () => {
    await admin?.close();
    await cluster?.stop();
  });

  /** Lists topics over the SASL listener as this user: resolves only if the broker accepts the password. */
  async function signIn(mechanism: 'scram-sha-256' | 'scram-sha-512', username: string, password: string) {
    const client = createAdmin({
      brokers: [cluster.listenerBootstrap('SASL_PLAINTEXT')],
      sasl: { mechanism, username, password },
      retries: 0,
      apiTimeoutMs: 10000,
    });
    try {
      return await client.listTopics();
    } finally {
      await client.close();
    }
  }

  it('stores credentials a SCRAM client can then sign in with, and describes them', async () => {
    const results = await admin.alterUserScramCredentials([
      { user: 'alice', mechanism: 'SCRAM-SHA-256', password: 'alice-secret', iterations: 8192 },
      { user: 'bob', mechanism: 'SCRAM-SHA-512', password: 'bob-secret' },
    ]);
    expect(results).toEqual([{ user: 'alice' }, { user: 'bob' }]);

    await expect(signIn('scram-sha-256', 'alice', 'alice-secret')).resolves.toEqual(expect.any(Array));
    await expect(signIn('scram-sha-512', 'bob', 'bob-secret')).resolves.toEqual(expect.any(Array));
    await expect(signIn('scram-sha-256', 'alice', 'wrong')).rejects.toMatchObject({
      name: 'AuthenticationError',
    });

    const described = await admin.describeUserScramCredentials(['alice', 'bob', 'carol']);
    expect(described).toEqual([
      { user: 'alice', credentials: [{ mechanism: 'SCRAM-SHA-256', iterations: 8192 }] },
      { user: 'bob', credentials: [{ mechanism: 'SCRAM-SHA-512', iterations: 4096 }] },
      { user: 'carol', credentials: [], error: expect.objectContaining({ name: 'RESOURCE_NOT_FOUND' }) },
    ]);
    expect((await admin.describeUserScramCredentials()).map((u) => u.user)).toEqual(['alice', 'bob']);
  }, 60000);

  it('deletes a credential, and reports an unacceptable one per user', async () => {
    const results = await admin.alterUserScramCredentials([
      { user: 'bob', mechanism: 'SCRAM-SHA-512', delete: true },
      { user: 'dave', mechanism: 'SCRAM-SHA-256', password: 'x', iterations: 100 },
    ]);
    expect(results.map((r) => [r.user, r.error?.name])).toEqual([
      ['bob', undefined],
      ['dave', 'UNACCEPTABLE_CREDENTIAL'],
    ]);
    const [bob] = await admin.describeUserScramCredentials(['bob']);
    expect(bob.error?.name).toBe('RESOURCE_NOT_FOUND');
    await expect(signIn('scram-sha-512', 'bob', 'bob-secret')).rejects.toMatchObject({
      name: 'AuthenticationError',
    });
  }, 60000);
});
