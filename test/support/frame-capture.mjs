// What the golden-frame capture scripts (test/broker/capture-*.mjs) share: the fixture file names,
// picking the exchange to keep, and writing a fixture folder with its index.json. See
// test/fixtures/protocol/README.md for the layout.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Kafka's API names by key, for the fixture file names. */
export const API_NAMES = {
  0: 'Produce',
  1: 'Fetch',
  2: 'ListOffsets',
  3: 'Metadata',
  8: 'OffsetCommit',
  9: 'OffsetFetch',
  10: 'FindCoordinator',
  11: 'JoinGroup',
  12: 'Heartbeat',
  13: 'LeaveGroup',
  14: 'SyncGroup',
  18: 'ApiVersions',
  19: 'CreateTopics',
  22: 'InitProducerId',
  24: 'AddPartitionsToTxn',
  25: 'AddOffsetsToTxn',
  26: 'EndTxn',
  28: 'TxnOffsetCommit',
  36: 'SaslAuthenticate',
  42: 'DeleteGroups',
  68: 'ConsumerGroupHeartbeat',
  71: 'GetTelemetrySubscriptions',
  72: 'PushTelemetry',
};
export const PRODUCE = 0;
export const FETCH = 1;

/** The client id the scripts that drive @platformatic/kafka give it, so its requests can be told apart. */
export const PLATFORMATIC_CLIENT_ID = 'platformatic-kafka';

// The scripts wait on real clients and brokers: wall-clock time is what they have.
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Of `exchanges`, the one of `apiKey` with the largest response (the Fetch with records). */
export const largest = (exchanges, apiKey) =>
  exchanges.filter((e) => e.apiKey === apiKey).sort((a, b) => b.response.length - a.response.length)[0];

/** The project's golden frames: test/fixtures/protocol/<build>. */
export const fixturesDir = (build) => join(root, 'test', 'fixtures', 'protocol', build);

/** The @platformatic/kafka installed in the project (a second outside client) and its version. */
export async function loadPlatformatic() {
  const clientPackage = join(root, 'node_modules', '@platformatic', 'kafka');
  const client = await import(join(clientPackage, 'dist', 'index.js'));
  const version = JSON.parse(readFileSync(join(clientPackage, 'package.json'), 'utf8')).version;
  return { client, version };
}

/**
 * Replaces `dir` with one request/response pair per chosen exchange (`{ exchange, label? }`; an
 * exchange without a response is kept as `requestOnly`) and an index.json of `about` and the list,
 * sorted by API key, version and label. Returns that list.
 */
export function writeFixtures(dir, chosen, about) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const index = [];
  for (const { exchange: e, label } of chosen) {
    const name = `${API_NAMES[e.apiKey] ?? `Api${e.apiKey}`}-v${e.apiVersion}${label ? `-${label}` : ''}`;
    writeFileSync(join(dir, `${name}-request.bin`), e.request);
    if (e.response) writeFileSync(join(dir, `${name}-response.bin`), e.response);
    index.push({
      name,
      apiKey: e.apiKey,
      apiVersion: e.apiVersion,
      correlationId: e.correlationId,
      label: label ?? null,
      ...(e.response ? {} : { requestOnly: true }),
    });
  }
  index.sort(
    (a, b) =>
      a.apiKey - b.apiKey || a.apiVersion - b.apiVersion || String(a.label).localeCompare(String(b.label)),
  );
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ ...about, fixtures: index }, null, 2) + '\n');
  return index;
}

/**
 * Reads `topic` with a @platformatic/kafka `client` (from loadPlatformatic) in group `group` until
 * `count` records that `options.accept` takes arrived, stays `options.stayMs` (heartbeats and
 * commits), then leaves (LeaveGroup). `options.consumer` and `options.consume` add to its options.
 */
export async function consumeInGroup(client, bootstrap, group, topic, count, options = {}) {
  const accept = options.accept ?? (() => true);
  const consumer = new client.Consumer({
    clientId: PLATFORMATIC_CLIENT_ID,
    groupId: group,
    bootstrapBrokers: [bootstrap],
    deserializers: client.stringDeserializers,
    ...options.consumer,
  });
  try {
    const stream = await consumer.consume({
      topics: [topic],
      mode: 'committed',
      fallbackMode: 'earliest',
      autocommit: 300,
      sessionTimeout: 6000,
      heartbeatInterval: 300,
      maxWaitTime: 200,
      ...options.consume,
    });
    await new Promise((resolve, reject) => {
      let seen = 0;
      stream.on('error', reject);
      stream.on('data', (message) => {
        if (accept(message) && ++seen === count) resolve();
      });
    });
    await sleep(options.stayMs ?? 0);
    await stream.close();
  } finally {
    await consumer.close();
  }
}
