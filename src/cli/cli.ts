import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { KafkaRxError } from '../errors';
import { UsageError } from './args';
import { didYouMean } from '../config';
import { errorLine } from './error-line';
import { gracePeriodOver, STOP_GRACE_MS } from './grace-period';
import type { CommandIo } from './io';

/** One subcommand: its synopsis, and how it runs (resolving to an exit code). */
interface Command {
  readonly usage: string;
  run(argv: readonly string[], io: CommandIo, stop: AbortSignal): Promise<number>;
}

// Each subcommand is loaded when it runs, so `consume` does not load the producer or the fake
// cluster, and a failure to load one does not take the others down.
const commands: Readonly<Record<string, Command>> = {
  consume: {
    usage:
      'kafka-rx consume --brokers H:P[,H:P] --topic T [--group G] [--from-beginning] [--count N] [--json]',
    run: async (argv, io, stop) => {
      const { runConsume } = await import('./consume');
      return untilGraceOver(
        runConsume(argv, io, stop).then(() => 0),
        stop,
        'the consumer did not close',
      );
    },
  },
  produce: {
    usage:
      'kafka-rx produce --brokers H:P[,H:P] --topic T [--key-separator S] [--compression gzip|snappy|lz4|zstd]',
    run: async (argv, io, stop) => {
      const { checkProduceTarget, runProduce } = await import('./produce');
      if (!(await checkProduceTarget(argv, stop))) return 0;
      // Stopping ends the input as end-of-file would: what was read so far is still sent and flushed.
      const input = new PassThrough();
      io.stdin.pipe(input);
      const endInput = () => {
        io.stdin.unpipe(input);
        input.end();
      };
      stop.addEventListener('abort', endInput, { once: true });
      try {
        return await untilGraceOver(
          runProduce(argv, { ...io, stdin: input }),
          stop,
          'not every record read was acknowledged',
        );
      } finally {
        stop.removeEventListener('abort', endInput);
      }
    },
  },
  metadata: {
    usage: 'kafka-rx metadata -b H:P[,H:P] [-t T] [-J]',
    run: async (argv, io) => (await import('./metadata')).runMetadata(argv, io),
  },
  topics: {
    usage: 'kafka-rx topics list|describe|create|delete|alter-config -b H:P[,H:P] [-t T] [...]',
    run: async (argv, io) => (await import('./topics')).runTopics(argv, io),
  },
  groups: {
    usage: 'kafka-rx groups list|describe|delete|reset-offsets -b H:P[,H:P] [--group G] [...]',
    run: async (argv, io) => (await import('./groups')).runGroups(argv, io),
  },
  offsets: {
    usage: 'kafka-rx offsets -b H:P[,H:P] -t T [-p P] [--time earliest|latest|max-timestamp|MS] [-J]',
    run: async (argv, io) => (await import('./offsets')).runOffsets(argv, io),
  },
  demo: {
    usage: 'kafka-rx demo [--records N] [--seconds S] [--partitions P]',
    run: async (argv, io, stop) => {
      const { runDemo } = await import('./demo');
      return runDemo(argv, io, stop);
    },
  },
};

const overview = [
  'kafka-rx: a Kafka client built from RxJS streams',
  '',
  'usage:',
  ...Object.values(commands).map((c) => `  ${c.usage}`),
  '  kafka-rx help [command]',
  '  kafka-rx --version',
  '',
  'Run `kafka-rx help <command>` for the details of one command.',
].join('\n');

/** The full usage text of a subcommand (its own, longer, when the module has one). */
async function detailedUsage(name: string): Promise<string> {
  if (name === 'consume') return (await import('./consume')).consumeUsage;
  if (name === 'produce') return (await import('./produce')).PRODUCE_USAGE;
  if (name === 'demo') return (await import('./demo')).demoUsage;
  if (name === 'topics') return (await import('./topics')).topicsUsage;
  if (name === 'groups') return (await import('./groups')).groupsUsage;
  if (name === 'offsets') return (await import('./offsets')).offsetsUsage;
  if (name === 'metadata') return (await import('./metadata')).metadataUsage;
  return overview;
}

/** The package version, read from package.json beside `src/` or `dist/`. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * The command's own end, or, once the grace period after a stop request is over, a
 * `StopTimeoutError`: the first Ctrl-C always ends the command within a second or two.
 */
async function untilGraceOver(command: Promise<number>, stop: AbortSignal, what: string): Promise<number> {
  const over = gracePeriodOver(stop).then(() => {
    throw new KafkaRxError(
      'StopTimeoutError',
      `stopped ${STOP_GRACE_MS} ms after the signal; ${what} by then`,
    );
  });
  return Promise.race([command, over]);
}

function usageError(message: string): string {
  return errorLine(new UsageError(message));
}

function unknownCommand(name: string): string {
  const guess = didYouMean(name, Object.keys(commands));
  return usageError(`unknown command "${name}"${guess === undefined ? '' : ` (did you mean ${guess}?)`}`);
}

/**
 * Runs the `kafka-rx` command line and resolves to the process exit code: 0 on success, 1 for a
 * runtime error, 2 for a bad command line (then the subcommand's usage follows). Every error is
 * one line `kafka-rx: <ErrorName>: <message>`. `stop` asks a running command to finish cleanly (SIGINT/SIGTERM in `main`).
 */
export async function runCli(argv: readonly string[], io: CommandIo, stop: AbortSignal): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined && !(topic in commands)) {
      io.stderr.write(`${unknownCommand(topic)}\n${overview}\n`);
      return 2;
    }
    io[name === undefined ? 'stderr' : 'stdout'].write(
      `${topic === undefined ? overview : await detailedUsage(topic)}\n`,
    );
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const command = Object.prototype.hasOwnProperty.call(commands, name) ? commands[name] : undefined;
  if (command === undefined) {
    io.stderr.write(`${unknownCommand(name)}\n${overview}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${await detailedUsage(name)}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io, stop);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${errorLine(error)}\n${await detailedUsage(name)}\n`);
      return 2;
    }
    io.stderr.write(`${errorLine(error)}\n`);
    // A bug rather than a Kafka problem: keep the stack for the report.
    if (!(error instanceof KafkaRxError) && error instanceof Error && error.stack)
      io.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
