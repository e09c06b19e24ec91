import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeApiVersions } from '../raw-request';
import { newClusterId, startKafka, KafkaStartError } from './kafka-cluster';
import { runKafkaTool } from './kafka-tool';
import { rawMetadata } from './raw-admin';
import { sharedKafka } from './shared-kafka';
import { addresses, createTopics, uniqueName } from './topics';

describe('the shared Kafka broker', () => {
  it('answers ApiVersions and Metadata, and takes topics', async () => {
    const { bootstrap, brokers } = sharedKafka();
    const versions = await probeApiVersions(brokers[0]);
    // Kafka 4 dropped Fetch v0-v3, OffsetCommit v0-v1 and CreateTopics v0-v1 (KIP-896).
    const min = (apiKey: number) => versions.find((v) => v.apiKey === apiKey)?.min;
    expect([min(1), min(8), min(19)]).toEqual([4, 2, 2]);

    const topic = uniqueName('harness');
    await createTopics(bootstrap, [{ name: topic, partitions: 3 }]);
    const metadata = await rawMetadata(brokers[0], [topic]);
    expect(metadata.topics).toEqual([
      expect.objectContaining({ name: topic, errorCode: 0, partitions: expect.any(Array) }),
    ]);
    expect(metadata.topics[0].partitions.map((p) => p.partition).sort()).toEqual([0, 1, 2]);
    await expect(createTopics(bootstrap, [{ name: topic }])).rejects.toThrow(/error 36/);
  });

  it('runs Kafka tools from the same jars', async () => {
    const { bootstrap } = sharedKafka();
    const topic = uniqueName('tool');
    await createTopics(bootstrap, [{ name: topic, partitions: 2 }]);
    const run = await runKafkaTool('org.apache.kafka.tools.TopicCommand', [
      '--bootstrap-server',
      bootstrap,
      '--describe',
      '--topic',
      topic,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Topic: ${topic}`);
    expect(run.stdout).toMatch(/PartitionCount: 2/);
  });
});

describe('startKafka', () => {
  it('makes cluster ids the storage tool cannot take for an option', () => {
    const ids = Array.from({ length: 2000 }, newClusterId);
    // One base64url id in 64 starts with '-' when drawn plainly; 2000 draws would show some.
    expect(ids.filter((id) => id.startsWith('-'))).toEqual([]);
    expect(ids.every((id) => /^[\w-]{22}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('fails within seconds, naming the cause, when java cannot run', async () => {
    const started = performance.now();
    const error = await startKafka({ java: '/nonexistent/java' }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(KafkaStartError);
    expect((error as Error).message).toMatch(/\/nonexistent\/java: not found/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('fails with the broker log when the port is taken', async () => {
    const server: Server = createServer();
    const port = await new Promise<number>((resolve) =>
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
    );
    try {
      const started = performance.now();
      const error = await startKafka({ ports: [port] }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(KafkaStartError);
      expect((error as Error).message).toMatch(/did not start: exited with/);
      expect((error as Error).message).toMatch(/Address already in use/);
      expect(performance.now() - started).toBeLessThan(20000);
    } finally {
      server.close();
    }
  }, 40000);

  it('fails with the cause on a bad setting', async () => {
    const error = await startKafka({ config: { 'num.io.threads': 'lots' } }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(KafkaStartError);
    expect((error as Error).message).toMatch(/num\.io\.threads/);
  }, 40000);

  it('kills a node by pid and restarts it on its data', async () => {
    const cluster = await startKafka();
    try {
      const topic = uniqueName('restart');
      await createTopics(cluster.bootstrap, [{ name: topic, partitions: 2 }]);
      const [broker] = cluster.brokers;
      expect(broker.pid).toEqual(expect.any(Number));
      const pid = broker.pid!;

      await cluster.kill(1);
      expect(() => process.kill(pid, 0)).toThrow();
      expect(cluster.brokers[0].pid).toBeUndefined();
      await expect(rawMetadata(addresses(cluster.bootstrap)[0], [], 1000)).rejects.toThrow();

      await cluster.restart(1);
      expect(cluster.brokers[0].pid).not.toBe(pid);
      await createTopics(cluster.bootstrap, [{ name: uniqueName('after-restart') }]);
      const metadata = await rawMetadata(addresses(cluster.bootstrap)[0], [topic]);
      expect(metadata.topics[0].partitions).toHaveLength(2);
    } finally {
      await cluster.stop();
    }
    expect(cluster.brokers[0].pid).toBeUndefined();
  }, 90000);

  it('takes its JVM along when the test process is killed with SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafka-orphan-'));
    const script = join(dir, 'start.ts');
    writeFileSync(
      script,
      `require(${JSON.stringify(join(__dirname, 'kafka-cluster.ts'))}).startKafka().then((c) => {
        console.log('STARTED ' + c.brokers[0].pid + ' ' + c.directory);
        setInterval(() => undefined, 1000);
      });`,
    );
    const child = spawn(process.execPath, ['--require', join(__dirname, '..', 'register-ts.cjs'), script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const match = /STARTED .*\n/.exec(out);
          if (match) resolve(match[0]);
        });
        child.once('exit', () => reject(new Error(`exited before the broker started: ${out}`)));
      });
      const [, pid, clusterDir] = line.trim().split(' ');
      expect(() => process.kill(Number(pid), 0)).not.toThrow();

      child.kill('SIGKILL');
      const deadline = performance.now() + 5000;
      let alive = true;
      while (alive && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        try {
          process.kill(Number(pid), 0);
        } catch {
          alive = false;
        }
      }
      expect(alive).toBe(false);
      rmSync(clusterDir, { recursive: true, force: true });
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60000);
});
