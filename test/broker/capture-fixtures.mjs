// Captures golden protocol frames: kcat talks to each mock broker build
// through recording proxies, and one request/response pair per API and
// version is written to test/fixtures/protocol/<build>/. See the README there.
//
//   node test/broker/capture-fixtures.mjs [new|old]...
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
require('./register-ts.cjs');
const { startMockCluster } = require('./mock-cluster.ts');
const { proxyCluster } = require('./proxied-cluster.ts');
const { CODECS, consume, joinGroup, keyedRecords, produce, runKcat } = require('./kcat.ts');

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'fixtures', 'protocol');

const API_NAMES = {
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
  36: 'SaslAuthenticate',
  42: 'DeleteGroups',
  68: 'ConsumerGroupHeartbeat',
  71: 'GetTelemetrySubscriptions',
  72: 'PushTelemetry',
};
const FETCH = 1;
const PRODUCE = 0;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function captureBuild(build) {
  execFileSync(join(here, 'build.sh'), { stdio: 'inherit' });
  const topics = [
    ...CODECS.map((c) => ({ name: `codec-${c}`, partitions: 1 })),
    { name: 'group-topic', partitions: 2 },
  ];
  // One broker: it is also the coordinator, and all traffic goes through one proxy.
  const cluster = await startMockCluster({ build, brokers: 1, topics });
  const proxied = await proxyCluster(cluster);
  const target = { bootstrap: proxied.bootstrap, build };
  const log = proxied.proxies[0].exchanges;
  const chosen = []; // { exchange, label, step }

  async function step(name, work) {
    const from = log.length;
    await work();
    return log.slice(from);
  }
  const largest = (exchanges, apiKey) =>
    exchanges.filter((e) => e.apiKey === apiKey).sort((a, b) => b.response.length - a.response.length)[0];

  try {
    const clientVersion = await cluster.version();
    await step('metadata', () => runKcat(['-L'], target));

    for (const codec of CODECS) {
      const produced = await step(`produce ${codec}`, () =>
        produce({
          ...target,
          topic: `codec-${codec}`,
          records: keyedRecords(10, `${codec}-`),
          headers: [['h', codec]],
          codec,
        }),
      );
      const p = largest(produced, PRODUCE);
      if (p) chosen.push({ exchange: p, label: codec });
      const fetched = await step(`consume ${codec}`, () => consume({ ...target, topic: `codec-${codec}` }));
      const f = largest(fetched, FETCH);
      if (f) chosen.push({ exchange: f, label: codec });
    }

    await produce({ ...target, topic: 'group-topic', records: keyedRecords(20), codec: 'lz4' });
    const fast = [
      '-X',
      'heartbeat.interval.ms=300',
      '-X',
      'auto.commit.interval.ms=300',
      '-X',
      'session.timeout.ms=6000',
    ];
    await step('classic group', async () => {
      const member = joinGroup({ ...target, group: 'fixtures', topics: ['group-topic'], extraArgs: fast });
      try {
        await member.waitFor((m) => m.records.length === 20);
        await sleep(1500); // heartbeats and commits
      } finally {
        await member.stop(); // LeaveGroup
      }
    });
    if (build === 'new') {
      await step('KIP-848 group', async () => {
        const member = joinGroup({
          ...target,
          group: 'fixtures-848',
          topics: ['group-topic'],
          extraArgs: ['-X', 'group.protocol=consumer'],
        });
        try {
          await member.waitFor((m) => m.records.length === 20);
          await sleep(1000);
        } finally {
          await member.stop();
        }
      });
    }

    // Then the first exchange of every API and version not yet covered.
    const seen = new Set(chosen.map((c) => `${c.exchange.apiKey}/${c.exchange.apiVersion}`));
    for (const e of log) {
      const key = `${e.apiKey}/${e.apiVersion}`;
      if (seen.has(key)) continue;
      seen.add(key);
      chosen.push({ exchange: e });
    }

    const dir = join(fixtures, build);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const index = [];
    for (const { exchange: e, label } of chosen) {
      const base = `${API_NAMES[e.apiKey] ?? `Api${e.apiKey}`}-v${e.apiVersion}${label ? `-${label}` : ''}`;
      writeFileSync(join(dir, `${base}-request.bin`), e.request);
      writeFileSync(join(dir, `${base}-response.bin`), e.response);
      index.push({
        name: base,
        apiKey: e.apiKey,
        apiVersion: e.apiVersion,
        correlationId: e.correlationId,
        label: label ?? null,
      });
    }
    index.sort(
      (a, b) =>
        a.apiKey - b.apiKey || a.apiVersion - b.apiVersion || String(a.label).localeCompare(String(b.label)),
    );
    writeFileSync(
      join(dir, 'index.json'),
      JSON.stringify(
        {
          build,
          librdkafka: clientVersion,
          kcat: /Version (\S+)/.exec(execFileSync('kcat', ['-V']).toString())?.[1],
          brokerPort: cluster.brokers[0].port,
          fixtures: index,
        },
        null,
        2,
      ) + '\n',
    );
    console.log(`${build} (librdkafka ${clientVersion}): ${index.map((f) => f.name).join(', ')}`);
  } finally {
    await proxied.close();
    await cluster.stop();
  }
}

const builds = process.argv.slice(2).length ? process.argv.slice(2) : ['new', 'old'];
for (const build of builds) await captureBuild(build);
