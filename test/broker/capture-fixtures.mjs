// Captures golden protocol frames: kcat talks to each mock broker build
// through recording proxies, and one request/response pair per API and
// version is written to test/fixtures/protocol/<build>/. See the README there.
//
//   node test/broker/capture-fixtures.mjs [new|old]...
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FETCH, PRODUCE, fixturesDir, largest, sleep, writeFixtures } from '../support/frame-capture.mjs';

const require = createRequire(import.meta.url);
require('./register-ts.cjs');
const { startMockCluster } = require('./mock-cluster.ts');
const { proxyCluster } = require('./proxied-cluster.ts');
const { CODECS, consume, joinGroup, keyedRecords, produce, runKcat } = require('./kcat.ts');

const here = dirname(fileURLToPath(import.meta.url));

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

    const index = writeFixtures(fixturesDir(build), chosen, {
      build,
      librdkafka: clientVersion,
      kcat: /Version (\S+)/.exec(execFileSync('kcat', ['-V']).toString())?.[1],
      brokerPort: cluster.brokers[0].port,
    });
    console.log(`${build} (librdkafka ${clientVersion}): ${index.map((f) => f.name).join(', ')}`);
  } finally {
    await proxied.close();
    await cluster.stop();
  }
}

const builds = process.argv.slice(2).length ? process.argv.slice(2) : ['new', 'old'];
for (const build of builds) await captureBuild(build);
