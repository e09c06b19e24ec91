/**
 * How bench/consume.ts, bench/produce.ts and bench/latency.ts run their clients: each client's
 * runner in a child process of its own (Node runners compiled first, the Java ones with javac),
 * one client after the other, `--runs` times, on one broker started for the benchmark.
 */
import { join } from 'node:path';
import { startTarget, type BrokerTarget } from './broker-target';
import type { Benchmark, Client } from './clients';
import { compileRunners } from './compile-runners';
import { javaRunner } from './java-runners';
import type { CommonOptions } from './options';
import { runChild } from './run-child';

export type Output<T> = T | { readonly error: string };

export interface Runners {
  /** Runs the client's runner once with `args`; resolves with its JSON line or `{error}`. */
  run<T>(client: Client, args: string[], timeoutMs: number): Promise<Output<T>>;
}

const JAVA_RUNNERS = {
  consume: 'ConsumeRunner',
  produce: 'ProduceRunner',
  latency: 'LatencyRunner',
} as const;

/** Compiles the benchmark's Node runners now and its Java runner when a Java client first runs. */
function prepareRunners(benchmark: Benchmark, nodeOptions: readonly string[]): Runners {
  const out = compileRunners(`bench-${benchmark}`, `${benchmark}-runners`);
  let java: ((args: string[]) => string[]) | undefined;
  return {
    run<T>(client: Client, args: string[], timeoutMs: number) {
      if (client.java)
        return runChild<T>('java', (java ??= javaRunner(JAVA_RUNNERS[benchmark]))(args), timeoutMs);
      const script = join(out, 'bench', `${benchmark}-runners`, `${client.runner}.js`);
      return runChild<T>(process.execPath, [...nodeOptions, script, ...args], timeoutMs);
    },
  };
}

/**
 * Runs every client `runs` times, one after the other, logging each run with `note`; a client
 * that failed once is not run again (its row shows that failure). Resolves with each client's
 * results, or its error.
 */
export async function runEach<T extends object>(
  o: Pick<CommonOptions, 'clients' | 'runs'>,
  once: (client: Client, run: number) => Promise<Output<T>>,
  note: (result: T) => string,
  label: (client: Client) => string = (client) => client.name,
): Promise<Map<Client, T[] | { error: string }>> {
  const outputs = new Map<Client, Output<T>[]>(o.clients.map((c) => [c, []]));
  for (let run = 1; run <= o.runs; run++) {
    for (const client of o.clients) {
      if (outputs.get(client)!.some((output) => 'error' in output)) continue;
      const output = await once(client, run);
      outputs.get(client)!.push(output);
      const text = 'error' in output ? `error: ${output.error}` : note(output);
      console.log(`  run ${run}/${o.runs} ${label(client)}: ${text}`);
    }
  }
  return new Map([...outputs].map(([client, runs]) => [client, resultsOf(runs)]));
}

function resultsOf<T extends object>(outputs: readonly Output<T>[]): T[] | { error: string } {
  const results: T[] = [];
  for (const output of outputs) {
    if ('error' in output) return { error: output.error };
    results.push(output);
  }
  return results;
}

let topics = 0;

/** Creates a topic no run has used yet. */
export async function freshTopic(
  cluster: BrokerTarget,
  benchmark: Benchmark,
  partitions: number,
): Promise<string> {
  const topic = `bench-${benchmark}-${topics++}`;
  await cluster.createTopic(topic, partitions);
  return topic;
}

/** A runner's command line: `{ topic: 't', 'value-bytes': 100 }` is `--topic t --value-bytes 100`. */
export function runnerFlags(flags: Readonly<Record<string, string | number>>): string[] {
  return Object.entries(flags).flatMap(([name, value]) => [`--${name}`, String(value)]);
}

/**
 * Runs a benchmark: parses its options, compiles its runners, starts the broker, runs `body` on
 * it and stops it however `body` ends; exits with status 1 on an error.
 */
export function runBenchmark<O extends CommonOptions>(
  benchmark: Benchmark,
  options: () => O,
  body: (o: O, cluster: BrokerTarget, runners: Runners) => Promise<void>,
): void {
  const main = async () => {
    const o = options();
    const runners = prepareRunners(benchmark, o.nodeOptions);
    const cluster = await startTarget(o.broker, o.brokers);
    try {
      await body(o, cluster, runners);
    } finally {
      await cluster.stop();
    }
  };
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
