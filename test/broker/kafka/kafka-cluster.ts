import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTied, type TiedProcess } from '../tied-process';
import { javaArgs, writeFileLog4j } from './java';
import { assertKafkaJars, KAFKA_VERSION } from './kafka-jars';
import { runKafkaTool, tail } from './kafka-tool';
import { rawMetadata } from './raw-admin';
import { serverProperties, type ListenerSpec, type NodePorts } from './server-properties';

export type { ListenerSpec } from './server-properties';

export interface KafkaOptions {
  /** One node in combined mode (default), or three broker+controller nodes (a 3-voter quorum). */
  brokers?: 1 | 3;
  /** server.properties entries for every node, applied over the harness's. */
  config?: Record<string, string>;
  /** Listeners besides PLAINTEXT; each gets its own port per node. */
  listeners?: ListenerSpec[];
  /** Extra `kafka-storage format` arguments, e.g. `['--add-scram', 'SCRAM-SHA-256=[name=u,password=p]']`. */
  formatArgs?: string[];
  /** PLAINTEXT port per node, in node order; free ports otherwise. */
  ports?: number[];
  /** Max heap per node. Default 384 MB. */
  heapMb?: number;
  /** A node that does not answer Metadata within this long fails the start. Default 60 s. */
  readyTimeoutMs?: number;
  /** The `java` to run. Default `java` on the PATH. */
  java?: string;
}

export interface KafkaBroker {
  nodeId: number;
  /** The PLAINTEXT port. */
  port: number;
  /** Port per extra listener name. */
  listeners: Record<string, number>;
  /** The JVM's pid (undefined while the node is down). */
  pid: number | undefined;
}

/** Why a Kafka node did not come up: the node, the cause, and the tail of its log. */
export class KafkaStartError extends Error {
  override name = 'KafkaStartError';
}

interface Node {
  nodeId: number;
  ports: NodePorts;
  dir: string;
  propertiesFile: string;
  logFile: string;
  proc?: TiedProcess;
  pid?: number;
  output: string;
}

/**
 * A running Apache Kafka cluster in KRaft mode, in a temp dir, its JVMs tied to this process
 * (they die with it, see tied-process.ts). Always `stop()` it.
 */
export class KafkaCluster {
  readonly version = KAFKA_VERSION;

  private constructor(
    private readonly nodes: Node[],
    private readonly dir: string,
    private readonly options: KafkaOptions,
  ) {}

  /** `127.0.0.1:port,...` of the PLAINTEXT listeners. */
  get bootstrap(): string {
    return this.nodes.map((n) => `127.0.0.1:${n.ports.client}`).join(',');
  }

  /** `127.0.0.1:port,...` of an extra listener. */
  listenerBootstrap(name: string): string {
    return this.nodes.map((n) => `127.0.0.1:${n.ports.listeners[name]}`).join(',');
  }

  get brokers(): KafkaBroker[] {
    return this.nodes.map((n) => ({
      nodeId: n.nodeId,
      port: n.ports.client,
      listeners: { ...n.ports.listeners },
      pid: n.proc ? n.pid : undefined,
    }));
  }

  /** The temp dir of the cluster (node-<id>/server.log, server.properties, data). */
  get directory(): string {
    return this.dir;
  }

  /** The tail of a node's server.log. */
  log(nodeId: number, lines = 40): string {
    const node = this.node(nodeId);
    return existsSync(node.logFile) ? tail(readFileSync(node.logFile, 'utf8'), lines) : '';
  }

  static async start(options: KafkaOptions = {}): Promise<KafkaCluster> {
    assertKafkaJars();
    const count = options.brokers ?? 1;
    const listeners = options.listeners ?? [];
    const dir = mkdtempSync(join(tmpdir(), 'kafka-rx-kafka-'));
    const ports = new Map<number, NodePorts>();
    for (let id = 1; id <= count; id++) {
      const extra: Record<string, number> = {};
      for (const l of listeners) extra[l.name] = await freePort();
      ports.set(id, {
        client: options.ports?.[id - 1] ?? (await freePort()),
        controller: await freePort(),
        listeners: extra,
      });
    }
    const nodes: Node[] = [...ports.keys()].map((nodeId) => {
      const nodeDir = join(dir, `node-${nodeId}`);
      mkdirSync(nodeDir);
      const propertiesFile = join(nodeDir, 'server.properties');
      writeFileSync(
        propertiesFile,
        serverProperties({
          nodeId,
          nodes: ports,
          listeners,
          logDir: join(nodeDir, 'data'),
          config: options.config ?? {},
        }),
      );
      writeFileLog4j(join(nodeDir, 'log4j2.properties'), join(nodeDir, 'server.log'));
      return {
        nodeId,
        ports: ports.get(nodeId)!,
        dir: nodeDir,
        propertiesFile,
        logFile: join(nodeDir, 'server.log'),
        output: '',
      };
    });
    const cluster = new KafkaCluster(nodes, dir, options);
    try {
      const clusterId = newClusterId();
      await Promise.all(nodes.map((n) => cluster.format(n, clusterId)));
      for (const n of nodes) cluster.spawn(n);
      await Promise.all(nodes.map((n) => cluster.waitReady(n)));
      await cluster.waitForBrokers(count);
      return cluster;
    } catch (e) {
      await cluster.stop();
      throw e;
    }
  }

  /**
   * Sends `signal` to a node's JVM (SIGKILL by default; SIGTERM is a controlled shutdown;
   * SIGSTOP/SIGCONT freeze and thaw it). Resolves when a terminating signal has ended it.
   */
  async kill(nodeId: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const node = this.node(nodeId);
    if (!node.proc || node.pid === undefined) throw new Error(`node ${nodeId} is not running`);
    const proc = node.proc;
    process.kill(node.pid, signal);
    if (signal === 'SIGSTOP' || signal === 'SIGCONT' || signal === 'SIGTSTP') return;
    await proc.exited;
  }

  /** Stops the node if it runs (SIGTERM, SIGKILL after 15 s) and starts it again on its data and ports. */
  async restart(nodeId: number): Promise<void> {
    const node = this.node(nodeId);
    if (node.proc) {
      if (node.pid !== undefined) process.kill(node.pid, 'SIGTERM');
      await node.proc.stop(15000);
    }
    this.spawn(node);
    await this.waitReady(node);
  }

  /** Kills every node (SIGKILL: its data is thrown away) and removes the temp dir. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.proc?.stop(0)));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private node(nodeId: number): Node {
    const node = this.nodes.find((n) => n.nodeId === nodeId);
    if (!node) throw new Error(`no node ${nodeId}`);
    return node;
  }

  private async format(node: Node, clusterId: string): Promise<void> {
    const run = await runKafkaTool(
      'kafka.tools.StorageTool',
      ['format', '-t', clusterId, '-c', node.propertiesFile, ...(this.options.formatArgs ?? [])],
      { timeoutMs: 30000, java: this.options.java },
    );
    if (run.code !== 0) {
      throw new KafkaStartError(
        `kafka-storage format of node ${node.nodeId} failed (${run.timedOut ? 'timed out' : `exit ${run.code}`}):\n` +
          tail(run.stderr + run.stdout),
      );
    }
  }

  private spawn(node: Node): void {
    node.output = '';
    const proc = spawnTied(
      this.options.java ?? 'java',
      javaArgs('kafka.Kafka', [node.propertiesFile], {
        heapMb: this.options.heapMb ?? 384,
        log4jConfig: join(node.dir, 'log4j2.properties'),
        properties: { 'kafka.logs.dir': node.dir },
      }),
      // A controlled shutdown can wait for peers that are going away too: when we go, go at once.
      { watchdogSignal: 'KILL' },
    );
    const keep = (d: Buffer) => (node.output = (node.output + d.toString()).slice(-8000));
    proc.child.stdout?.on('data', keep);
    proc.child.stderr?.on('data', keep);
    node.proc = proc;
    node.pid = undefined;
    void proc.exited.then(() => {
      if (node.proc === proc) node.proc = undefined;
    });
  }

  private async waitReady(node: Node): Promise<void> {
    const timeoutMs = this.options.readyTimeoutMs ?? 60000;
    const deadline = performance.now() + timeoutMs;
    const proc = node.proc!;
    let exitCode: number | null | undefined;
    void proc.exited.then((code) => (exitCode = code));
    let lastError = '';
    while (true) {
      if (node.pid === undefined) node.pid = javaPid(proc.child.pid!);
      if (exitCode !== undefined) throw this.startError(node, `exited with ${exitCode}`);
      try {
        const metadata = await rawMetadata({ host: '127.0.0.1', port: node.ports.client }, [], 1000);
        if (metadata.brokers.some((b) => b.nodeId === node.nodeId)) {
          node.pid ??= javaPid(proc.child.pid!);
          return;
        }
        lastError = 'not yet registered';
      } catch (e) {
        lastError = (e as Error).message;
      }
      if (performance.now() > deadline) {
        await proc.stop(0);
        throw this.startError(node, `did not answer Metadata within ${timeoutMs} ms (${lastError})`);
      }
      await sleep(200);
    }
  }

  private async waitForBrokers(count: number): Promise<void> {
    const deadline = performance.now() + (this.options.readyTimeoutMs ?? 60000);
    const first = { host: '127.0.0.1', port: this.nodes[0].ports.client };
    while ((await rawMetadata(first, [])).brokers.length < count) {
      if (performance.now() > deadline) throw new KafkaStartError(`fewer than ${count} brokers registered`);
      await sleep(200);
    }
  }

  private startError(node: Node, what: string): KafkaStartError {
    const java = node.output.includes('not found')
      ? ' (is Java 17 installed? scripts/setup.sh installs it)'
      : '';
    const output = node.output.trim() ? `\noutput:\n${tail(node.output, 10)}` : '';
    return new KafkaStartError(
      `Kafka node ${node.nodeId} did not start: ${what}${java}${output}\n` +
        `errors in server.log (${node.logFile}):\n${this.errors(node)}`,
    );
  }

  /** The first ERROR and FATAL entries of a node's log with the line after each (the exception). */
  private errors(node: Node): string {
    if (!existsSync(node.logFile)) return '(none)';
    const lines = readFileSync(node.logFile, 'utf8').split('\n');
    const picked: string[] = [];
    lines.forEach((line, i) => {
      if (/^\[[^\]]+\] (ERROR|FATAL) /.test(line) && picked.length < 12)
        picked.push(line, lines[i + 1] ?? '');
    });
    return picked.length > 0 ? picked.join('\n') : tail(lines.join('\n'), 15);
  }
}

/** Starts Apache Kafka (KRaft); always `stop()` it (an exit hook is the backstop). */
export function startKafka(options: KafkaOptions = {}): Promise<KafkaCluster> {
  return KafkaCluster.start(options);
}

/**
 * A random cluster id (a base64 UUID). Like Kafka's Uuid.randomUuid(), never one that starts with
 * `-`: the storage tool would read it as an option.
 */
export function newClusterId(): string {
  while (true) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** The JVM among the wrapper's children (see tied-process.ts), once it has started. */
function javaPid(wrapperPid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${wrapperPid}/task/${wrapperPid}/children`, 'utf8')
      .split(' ')
      .filter(Boolean)
      .map(Number);
    return children.find((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'java';
      } catch {
        return false;
      }
    });
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
