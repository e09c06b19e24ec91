// Captures golden protocol frames between two outside implementations: Apache Kafka 4.4 as the
// broker and @platformatic/kafka (pure JavaScript) as the client, through the recording proxy.
// Kafka advertises the proxy's port, so every connection of the client goes through it and the
// recorded responses are Kafka's bytes, unchanged. Writes test/fixtures/protocol/kafka/.
//
//   node test/broker/kafka/capture-kafka-fixtures.mjs
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import {
  FETCH,
  PLATFORMATIC_CLIENT_ID as CLIENT_ID,
  PRODUCE,
  consumeInGroup,
  fixturesDir,
  largest,
  loadPlatformatic,
  writeFixtures,
} from '../../support/frame-capture.mjs';

const require = createRequire(import.meta.url);
require('../register-ts.cjs');
const { startKafka } = require('./kafka-cluster.ts');
const { createTopics } = require('./topics.ts');
const { startRecordProxy } = require('../record-proxy.ts');

const { client, version: clientVersion } = await loadPlatformatic();
const { Admin, Consumer, Producer, stringDeserializers, stringSerializers } = client;

// Not zstd: @platformatic/kafka needs Node 22's zlib for it (test/kafka/consumer-group.kafka.test.ts
// reads Kafka's own zstd batches instead).
const CODECS = ['none', 'gzip', 'snappy', 'lz4'];
const GROUP_TOPIC = 'group-topic';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The client id in a request header (v1+: after apiKey, version and correlation id). */
const clientIdOf = (request) => request.toString('utf8', 10, 10 + Math.max(0, request.readInt16BE(8)));

async function main() {
  const kafkaPort = await freePort();
  const proxy = await startRecordProxy({ host: '127.0.0.1', port: kafkaPort });
  const bootstrap = `127.0.0.1:${proxy.port}`;
  const cluster = await startKafka({
    ports: [kafkaPort],
    // Clients learn the proxy's address from Metadata and FindCoordinator.
    config: { 'advertised.listeners': `PLAINTEXT://${bootstrap}` },
  });
  const log = [];
  async function step(work) {
    const from = proxy.exchanges.length;
    await work();
    // The broker's own requests to itself (transaction markers) pass the proxy too.
    const mine = proxy.exchanges.slice(from).filter((e) => clientIdOf(e.request) === CLIENT_ID);
    log.push(...mine);
    return mine;
  }

  try {
    await createTopics(`127.0.0.1:${kafkaPort}`, [
      { name: GROUP_TOPIC, partitions: 2 },
      ...CODECS.map((codec) => ({ name: `codec-${codec}`, partitions: 1 })),
      { name: 'tx-topic', partitions: 1 },
    ]);
    const chosen = [];

    await step(async () => {
      const admin = new Admin({ clientId: CLIENT_ID, bootstrapBrokers: [bootstrap] });
      try {
        await admin.metadata({ topics: [GROUP_TOPIC, 'codec-none'] });
      } finally {
        await admin.close();
      }
    });

    for (const codec of CODECS) {
      const produced = await step(async () => {
        const producer = new Producer({
          clientId: CLIENT_ID,
          bootstrapBrokers: [bootstrap],
          serializers: stringSerializers,
          compression: codec,
          acks: -1,
        });
        try {
          const messages = Array.from({ length: 10 }, (_, i) => ({
            topic: `codec-${codec}`,
            partition: 0,
            key: `${codec}-key-${i}`,
            value: `${codec}-value-${i}`,
            headers: { h: codec },
          }));
          await producer.send({ messages, acks: -1 });
        } finally {
          await producer.close();
        }
      });
      // The last Produce: one that went through (a first one may meet NOT_LEADER_OR_FOLLOWER).
      chosen.push({ exchange: produced.filter((e) => e.apiKey === PRODUCE).pop(), label: codec });
      const fetched = await step(() =>
        consumeInGroup(client, bootstrap, `codec-reader-${codec}`, `codec-${codec}`, 10),
      );
      chosen.push({ exchange: largest(fetched, FETCH), label: codec });
    }
    // Only the labelled pairs of the codec steps are kept: the group exchanges come from `fixtures`.
    const codecSteps = new Set(log);

    await step(async () => {
      const producer = new Producer({
        clientId: CLIENT_ID,
        bootstrapBrokers: [bootstrap],
        serializers: stringSerializers,
        idempotent: true, // InitProducerId
        acks: -1,
      });
      try {
        const messages = Array.from({ length: 20 }, (_, i) => ({
          topic: GROUP_TOPIC,
          partition: i % 2,
          key: `key-${i}`,
          value: `value-${i}`,
        }));
        await producer.send({ messages });
      } finally {
        await producer.close();
      }
    });
    await step(() =>
      consumeInGroup(client, bootstrap, 'fixtures', GROUP_TOPIC, 20, {
        consume: { protocols: [{ name: 'roundrobin', version: 0 }] },
        stayMs: 1200, // heartbeats and commits
      }),
    );

    // Exchanges of the steps below are kept only for APIs and versions the steps above lack.
    const groupSteps = new Set(log);
    // A transaction that commits, one that aborts (InitProducerId, AddPartitionsToTxn, EndTxn), and
    // one with a consumed offset.
    await step(async () => {
      const producer = new Producer({
        clientId: CLIENT_ID,
        bootstrapBrokers: [bootstrap],
        serializers: stringSerializers,
        idempotent: true,
        transactionalId: 'fixtures-tx',
        acks: -1,
      });
      try {
        for (const end of ['commit', 'abort']) {
          const transaction = await producer.beginTransaction();
          await transaction.send({ messages: [{ topic: 'tx-topic', key: end, value: `${end}-value` }] });
          await transaction[end]();
        }
        // Consume-transform-produce: a consumed record's offset goes into a transaction
        // (AddOffsetsToTxn, TxnOffsetCommit).
        const consumer = new Consumer({
          clientId: CLIENT_ID,
          groupId: 'fixtures-eos',
          bootstrapBrokers: [bootstrap],
          deserializers: stringDeserializers,
        });
        try {
          const stream = await consumer.consume({
            topics: [GROUP_TOPIC],
            mode: 'earliest',
            autocommit: false,
            sessionTimeout: 6000,
            heartbeatInterval: 300,
            maxWaitTime: 200,
          });
          const message = await new Promise((resolve, reject) => {
            stream.once('error', reject);
            stream.once('data', resolve);
          });
          const transaction = await producer.beginTransaction();
          await transaction.addConsumer(consumer);
          await transaction.send({
            messages: [{ topic: 'tx-topic', key: 'eos', value: `from-${message.offset}` }],
          });
          await transaction.addOffset(message);
          await transaction.commit();
          await stream.close();
        } finally {
          await consumer.close();
        }
      } finally {
        await producer.close();
      }
    });
    // A KIP-848 group (ConsumerGroupHeartbeat).
    await step(() =>
      consumeInGroup(client, bootstrap, 'fixtures-848', GROUP_TOPIC, 20, {
        consumer: { groupProtocol: 'consumer' },
        stayMs: 1200,
      }),
    );

    // Then per API and version the exchange with the largest response (a JoinGroup that went
    // through rather than the MEMBER_ID_REQUIRED before it, a Fetch with records).
    const labelled = new Set(chosen.map((c) => `${c.exchange.apiKey}/${c.exchange.apiVersion}`));
    const best = new Map();
    for (const later of [false, true]) {
      const fromEarlier = new Set(best.keys());
      for (const e of log) {
        const key = `${e.apiKey}/${e.apiVersion}`;
        if (labelled.has(key) || codecSteps.has(e) || groupSteps.has(e) === later || fromEarlier.has(key))
          continue;
        if (!best.has(key) || e.response.length > best.get(key).response.length) best.set(key, e);
      }
    }
    for (const e of best.values()) chosen.push({ exchange: e });

    const index = writeFixtures(fixturesDir('kafka'), chosen, {
      build: 'kafka',
      broker: `Apache Kafka ${cluster.version}`,
      client: `@platformatic/kafka ${clientVersion}`,
      clientId: CLIENT_ID,
      brokerPort: proxy.port,
    });
    console.log(`kafka: ${index.map((f) => f.name).join(', ')}`);
  } finally {
    await proxy.close();
    await cluster.stop();
  }
}

await main();
