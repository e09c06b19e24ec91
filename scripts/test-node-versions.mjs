// Runs the test suite on every Node release that scripts/node-versions.sh installed into
// .cache/node/ (the machine's own Node runs the whole suite in `npm test`), the releases side by
// side: these suites mostly wait on sockets and timers, so two runs share two cores well.
// Left out here: what judges brokers rather than kafka-rx on a Node release (the Apache Kafka
// suites, which start a JVM, and the broker harness's own tests) and the slowest librdkafka-mock
// group suite; the kafka-rx code those reach is reached over TCP by the suites that remain.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, '.cache', 'node');
const left = ['/test/kafka/', '/test/broker/', '\\.kafka\\.test\\.ts$', '/test/consumer/group\\.mock\\.test\\.ts$'];

const versions = existsSync(cache) ? readdirSync(cache).sort() : [];
if (versions.length === 0) {
  console.error('test-node-versions: no Node releases in .cache/node; run scripts/node-versions.sh (setup does)');
  process.exit(1);
}

const logs = mkdtempSync(join(tmpdir(), 'kafka-rx-node-versions-'));
const runs = versions.map(
  (version) =>
    new Promise((resolve) => {
      const log = join(logs, `node-${version}.log`);
      const out = createWriteStream(log);
      const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
      const args = [jest, '--ci', '--testPathIgnorePatterns', ...left, ...process.argv.slice(2)];
      const child = spawn(join(cache, version, 'node'), args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.pipe(out, { end: false });
      child.stderr.pipe(out, { end: false });
      child.on('close', (code) => out.end(() => resolve({ version, code, log })));
    }),
);

const failed = [];
for (const { version, code, log } of await Promise.all(runs)) {
  const text = readFileSync(log, 'utf8');
  const summary = text.split('\n').filter((line) => /^(FAIL|Tests:|Test Suites:|Time:)/.test(line));
  console.log(`\n== jest on Node ${version}: ${code === 0 ? 'passed' : 'FAILED'} (log: ${log}) ==`);
  console.log(summary.join('\n'));
  if (code !== 0) {
    failed.push(version);
    console.log(text.split('\n').filter((line) => !/^PASS /.test(line)).slice(-400).join('\n'));
  }
}
if (failed.length > 0) {
  console.error(`test-node-versions: failed on Node ${failed.join(', ')}`);
  process.exit(1);
}
