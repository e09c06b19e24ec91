import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { track, untrack } from './child-reaper';

/**
 * Starts `command` so that it dies with us: a `sh` wrapper runs it in the
 * background next to a watchdog that waits for EOF on the wrapper's stdin,
 * which our end of the pipe gives when we call stop() or when this process
 * dies for any reason. kcat has no such watchdog of its own (a consumer
 * retries forever), hence this. The wrapper exits with the command's status
 * and leads its own process group, so a stuck child can be killed with it.
 */
export interface TiedOptions extends SpawnOptions {
  /** What the watchdog sends the command when we go away. Default `TERM`; `KILL` for JVMs whose shutdown may wait on peers that are gone too. */
  watchdogSignal?: 'TERM' | 'KILL';
  /** A file the command reads as its standard input (ours is the watchdog's pipe). */
  stdinFile?: string;
}

export interface TiedProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stop(graceMs?: number): Promise<number | null>;
}

// The watchdog uses the `read` builtin so that it is one process, which the
// wrapper can end when the command exits first.
// $1 is the watchdog's signal, $2 the file for the command's stdin (or empty).
const WRAPPER = [
  'signal=$1 input=${2:-/dev/null}',
  'shift 2',
  // An asynchronous command's stdin is /dev/null, so keep ours on fd 3.
  'exec 3<&0',
  '"$@" 3<&- <"$input" & child=$!',
  '(while read -r _ <&3; do :; done; kill -s $signal $child 2>/dev/null) & watchdog=$!',
  'exec 3<&-',
  'wait $child; status=$?',
  'kill $watchdog 2>/dev/null',
  'exit $status',
].join('\n');

export function spawnTied(command: string, args: string[], options: TiedOptions = {}): TiedProcess {
  const { watchdogSignal = 'TERM', stdinFile = '', ...spawnOptions } = options;
  const child = spawn('sh', ['-c', WRAPPER, 'sh', watchdogSignal, stdinFile, command, ...args], {
    ...spawnOptions,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${command}`);
  track(pid, true);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      untrack(pid);
      resolve(code);
    });
  });

  async function stop(graceMs = 2000): Promise<number | null> {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.stdin?.end();
    const timer = setTimeout(() => {
      try {
        process.kill(-pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  return { child, exited, stop };
}
