import { createAdmin, type Admin } from '../../src/admin';
import { startKafka, type KafkaCluster } from '../broker/kafka/kafka-cluster';
import { runKafkaToolOk } from '../broker/kafka/kafka-tool';

/** Runs a check until it passes, for at most 5 s. */
async function eventually(check: () => Promise<void>): Promise<void> {
  const deadline = performance.now() + 5000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

const JAAS = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';

// A broker of its own with a SASL_PLAINTEXT listener, so that stored credentials can be tried,
// and an authorizer, so that ACLs are enforced (PLAINTEXT clients are ANONYMOUS, a super user).
describe('admin: SCRAM credentials and ACLs against Apache Kafka', () => {
  let cluster: KafkaCluster;
  let admin: Admin;

  beforeAll(async () => {
    cluster = await startKafka({
      listeners: [{ name: 'SASL_PLAINTEXT', protocol: 'SASL_PLAINTEXT' }],
      config: {
        'sasl.enabled.mechanisms': 'SCRAM-SHA-256,SCRAM-SHA-512',
        'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config': JAAS,
        'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config': JAAS,
        'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
        'super.users': 'User:ANONYMOUS',
        'allow.everyone.if.no.acl.found': 'true',
      },
    });
    admin = createAdmin({ brokers: [cluster.bootstrap] });
  }, 90000);
  afterAll(async () => {
    await admin?.close();
    await cluster?.stop();
  });

  /** An admin client over the SASL listener, signed in as this user. */
  const as = (mechanism: 'scram-sha-256' | 'scram-sha-512', username: string, password: string) =>
    createAdmin({
      brokers: [cluster.listenerBootstrap('SASL_PLAINTEXT')],
      sasl: { mechanism, username, password },
      retries: 0,
      apiTimeoutMs: 10000,
    });

  /** Lists topics as this user: resolves only if the broker accepts the password. */
  async function signIn(mechanism: 'scram-sha-256' | 'scram-sha-512', username: string, password: string) {
    const client = as(mechanism, username, password);
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

  it('creates, describes and deletes ACLs, which the broker enforces and AclCommand lists', async () => {
    await admin.alterUserScramCredentials([
      { user: 'erin', mechanism: 'SCRAM-SHA-256', password: 'erin-secret' },
    ]);
    const [created] = await admin.createTopics([
      { name: 'secret', partitions: 1 },
      { name: 'open', partitions: 1 },
    ]);
    expect(created.error).toBeUndefined();
    const deny = {
      resourceType: 'topic',
      resourceName: 'secret',
      principal: 'User:erin',
      operation: 'describe',
      permission: 'deny',
    } as const;
    const allow = {
      resourceType: 'group',
      resourceName: 'orders-',
      patternType: 'prefixed',
      principal: 'User:erin',
      host: '127.0.0.1',
      operation: 'read',
      permission: 'allow',
    } as const;
    const results = await admin.createAcls([deny, allow, { ...deny, principal: 'erin' }]);
    expect(results.map((r) => r.error?.name)).toEqual([undefined, undefined, 'INVALID_REQUEST']);

    // The brokers learn new ACLs from the metadata log, a moment after the controller took them.
    await eventually(async () =>
      expect(await admin.describeAcls({ principal: 'User:erin' })).toHaveLength(2),
    );
    expect(await admin.describeAcls({ principal: 'User:erin' })).toEqual(
      expect.arrayContaining([{ ...deny, patternType: 'literal', host: '*' }, { ...allow }]),
    );
    expect(await admin.describeAcls({ resourceType: 'group' })).toEqual([allow]);
    const listed = await runKafkaToolOk(
      'org.apache.kafka.tools.AclCommand',
      ['--bootstrap-server', cluster.bootstrap, '--list', '--topic', 'secret'],
      { timeoutMs: 30000 },
    );
    expect(listed.stdout).toMatch(/principal=User:erin, host=\*, operation=DESCRIBE, permissionType=DENY/);

    const erin = as('scram-sha-256', 'erin', 'erin-secret');
    try {
      const [secret, open] = await erin.describeTopics(['secret', 'open']);
      expect(secret.error?.name).toBe('TOPIC_AUTHORIZATION_FAILED');
      expect(open.error).toBeUndefined();

      const [deleted] = await admin.deleteAcls([{ resourceType: 'topic', principal: 'User:erin' }]);
      expect(deleted).toEqual({
        filter: { resourceType: 'topic', principal: 'User:erin' },
        deleted: [{ ...deny, patternType: 'literal', host: '*' }],
      });
      await eventually(async () =>
        expect(await admin.describeAcls({ principal: 'User:erin' })).toEqual([allow]),
      );
      await eventually(async () => expect((await erin.describeTopics(['secret']))[0].error).toBeUndefined());
    } finally {
      await erin.close();
    }
  }, 60000);
});
