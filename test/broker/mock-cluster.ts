import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mockBrokerBinary, type Build } from './builds';
import { track, untrack } from './child-reaper';
import { mockVersionCaps } from './mock-version-caps';

export interface TopicSpec {
  name: string;
  partitions: number;
  replication?: number;
}

export interface MockClusterOptions {
  /** Number of brokers; their ids are 1..brokers. Default 1. */
  brokers?: number;
  topics?: TopicSpec[];
  /** Default `new`. */
  build?: Build;
  /** librdkafka log level of the broker side (0-7), printed on stderr. Default 3. */
  logLevel?: number;
  /**
   * Cap the versions the mock advertises but mishandles (`mockVersionCaps`), so clients that
   * use the highest common version work. Default true; tests of version negotiation turn it off.
   */
  capBrokenVersions?: boolean;
}

export interface BrokerAddress {
  id: number;
  host: string;
  port: number;
}

export interface TrackedRequest {
  apiKey: number;
  broker: number;
  /** librdkafka's monotonic clock, microseconds. */
  timestampUs: number;
}

export interface PushErrorsOptions {
  /** Only this broker fails; otherwise the next requests to any broker do. */
  broker?: number;
  /** Per error, how long the broker waits before answering (broker only). */
  rttMs?: number[];
}

/** An `ERR ...` answer of the mock broker. */
export class MockBrokerError extends Error {
  override name = 'MockBrokerError';
}

/**
 * A running librdkafka mock cluster (test/broker/mock-broker.c) and its
 * control channel. Commands are written one per line and answered one line
 * each, in order, so each command awaits the answer at the head of the queue.
 */
export class MockCluster {
  readonly brokers: BrokerAddress[];
  private readonly pending: { resolve(line: string): void; reject(e: Error): void }[] = [];
  private readonly exited: Promise<void>;
  private stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly build: Build,
    /** Comma-separated `host:port` list, as for `bootstrap.servers`. */
    readonly bootstrap: string,
    lines: AsyncIterableIterator<string>,
  ) {
    // librdkafka lists the brokers in id order.
    this.brokers = bootstrap.split(',').map((hostPort, i) => {
      const at = hostPort.lastIndexOf(':');
      return { id: i + 1, host: hostPort.slice(0, at), port: Number(hostPort.slice(at + 1)) };
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.stderr?.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    void this.readAnswers(lines);
  }

  static async start(options: MockClusterOptions = {}): Promise<MockCluster> {
    const build = options.build ?? 'new';
    const args = ['--brokers', String(options.brokers ?? 1), '--log-level', String(options.logLevel ?? 3)];
    for (const t of options.topics ?? [])
      args.push('--topic', `${t.name}:${t.partitions}:${t.replication ?? 1}`);

    const child = spawn(mockBrokerBinary(build), args, { stdio: ['pipe', 'pipe', 'pipe'] });
    if (child.pid === undefined) {
      const error = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw new Error(`cannot start mock broker (${build}); run test/broker/build.sh: ${error.message}`);
    }
    track(child.pid);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));

    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await lines.next();
    const match = !first.done && /^BOOTSTRAP (\S+)$/.exec(first.value);
    if (!match) {
      child.kill('SIGKILL');
      untrack(child.pid);
      throw new Error(`mock broker (${build}) did not start: ${first.done ? stderr : first.value}`);
    }
    const cluster = new MockCluster(child, build, match[1], lines);
    if (options.capBrokenVersions !== false) {
      for (const { apiKey, max } of mockVersionCaps[build]) await cluster.setApiVersion(apiKey, 0, max);
    }
    return cluster;
  }

  private async readAnswers(lines: AsyncIterableIterator<string>): Promise<void> {
    for await (const line of lines) this.pending.shift()?.resolve(line);
    const gone = new Error(`mock broker exited: ${this.stderr.trim()}`);
    for (const p of this.pending.splice(0)) p.reject(gone);
  }

  /** Sends one raw command line; resolves with the text after `OK`. */
  command(line: string): Promise<string> {
    if (/[\r\n]/.test(line)) return Promise.reject(new Error('one command per line'));
    return new Promise<string>((resolve, reject) => {
      if (!this.child.stdin?.writable || this.child.exitCode !== null) {
        reject(new Error('mock broker is not running'));
        return;
      }
      this.pending.push({
        resolve: (answer) => {
          if (answer === 'OK' || answer.startsWith('OK ')) resolve(answer.slice(3));
          else reject(new MockBrokerError(`${line}: ${answer.replace(/^ERR /, '')}`));
        },
        reject,
      });
      this.child.stdin.write(line + '\n');
    });
  }

  /** librdkafka's version string, e.g. `2.12.0`. */
  version(): Promise<string> {
    return this.command('version');
  }

  async createTopic(name: string, partitions: number, replication = 1): Promise<void> {
    await this.command(`topic ${word(name)} ${int(partitions)} ${int(replication)}`);
  }

  /** The broker refuses new connections and drops the open ones. */
  async brokerDown(id: number): Promise<void> {
    await this.command(`down ${int(id)}`);
  }

  async brokerUp(id: number): Promise<void> {
    await this.command(`up ${int(id)}`);
  }

  /** Every response of this broker is delayed by `ms`. */
  async setRtt(id: number, ms: number): Promise<void> {
    await this.command(`rtt ${int(id)} ${int(ms)}`);
  }

  /**
   * The next `codes.length` requests with this API key fail with these error
   * codes, in order. Code -195 (librdkafka's `_TRANSPORT`) closes the
   * connection instead of answering.
   */
  async pushErrors(apiKey: number, codes: number[], options: PushErrorsOptions = {}): Promise<void> {
    const { broker, rttMs } = options;
    if (broker === undefined) {
      if (rttMs) throw new Error('per-error delays need a broker');
      await this.command(`errors ${int(apiKey)} ${codes.map(int).join(' ')}`);
      return;
    }
    const errors = codes.map((code, i) => `${int(code)}:${int(rttMs?.[i] ?? 0)}`);
    await this.command(`broker-errors ${int(broker)} ${int(apiKey)} ${errors.join(' ')}`);
  }

  /** How many errors pushed on this broker and API key are still waiting. */
  async pendingErrors(broker: number, apiKey: number): Promise<number> {
    return Number(await this.command(`error-count ${int(broker)} ${int(apiKey)}`));
  }

  /** Drops the cluster-wide errors still waiting for this API key. */
  async clearErrors(apiKey: number): Promise<void> {
    await this.command(`clear-errors ${int(apiKey)}`);
  }

  /** Moves the partition's leadership; -1 leaves it without a leader. */
  async setLeader(topic: string, partition: number, brokerId: number): Promise<void> {
    await this.command(`leader ${word(topic)} ${int(partition)} ${int(brokerId)}`);
  }

  async setCoordinator(
    groupId: string,
    brokerId: number,
    keyType: 'group' | 'transaction' = 'group',
  ): Promise<void> {
    await this.command(`coordinator ${keyType} ${word(groupId)} ${int(brokerId)}`);
  }

  /** Kafka's group.initial.rebalance.delay.ms; the harness starts at 0. New build only. */
  async setGroupInitialRebalanceDelay(ms: number): Promise<void> {
    await this.command(`rebalance-delay ${int(ms)}`);
  }

  /** KIP-848 group.consumer.session.timeout.ms. New build only. */
  async setGroupConsumerSessionTimeout(ms: number): Promise<void> {
    await this.command(`session-timeout ${int(ms)}`);
  }

  /** KIP-848 group.consumer.heartbeat.interval.ms. New build only. */
  async setGroupConsumerHeartbeatInterval(ms: number): Promise<void> {
    await this.command(`heartbeat-interval ${int(ms)}`);
  }

  /** Starts recording every request received (new build only). */
  async startTracking(): Promise<void> {
    await this.command('track start');
  }

  async stopTracking(): Promise<void> {
    await this.command('track stop');
  }

  async clearRequests(): Promise<void> {
    await this.command('track clear');
  }

  /** Requests recorded since tracking started or was last cleared. */
  async requests(): Promise<TrackedRequest[]> {
    const [, ...entries] = (await this.command('track list')).split(' ').filter(Boolean);
    return entries.map((entry) => {
      const [apiKey, broker, timestampUs] = entry.split(',').map(Number);
      return { apiKey, broker, timestampUs };
    });
  }

  /** Narrows the versions the brokers accept and report for an API key. */
  async setApiVersion(apiKey: number, min: number, max: number): Promise<void> {
    await this.command(`apiversion ${int(apiKey)} ${int(min)} ${int(max)}`);
  }

  /** Stops the broker process (SIGTERM, then SIGKILL after `graceMs`). */
  async stop(graceMs = 3000): Promise<void> {
    const pid = this.child.pid!;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    untrack(pid);
  }
}

/** Starts a mock cluster; always `stop()` it (an exit hook is the backstop). */
export function startMockCluster(options: MockClusterOptions = {}): Promise<MockCluster> {
  return MockCluster.start(options);
}

function int(n: number): string {
  if (!Number.isInteger(n)) throw new TypeError(`not an integer: ${n}`);
  return String(n);
}

function word(s: string): string {
  if (!/^\S+$/.test(s)) throw new TypeError(`must be one word: ${JSON.stringify(s)}`);
  return s;
}
