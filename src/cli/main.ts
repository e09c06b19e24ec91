#!/usr/bin/env node
import { runCli } from './cli';

/**
 * The `kafka-rx` executable: runs the command line with the process's streams. The first SIGINT
 * or SIGTERM asks the running command to finish cleanly (a consumer commits and leaves its group);
 * a second one exits at once.
 */
async function main(): Promise<void> {
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // `kafka-rx consume | head`: the reader went away, which is a reason to stop, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') stop.abort();
    else throw error;
  });

  const code = await runCli(process.argv.slice(2), process, stop.signal);
  // Let buffered output reach a pipe before exiting; then exit even if a socket lingers.
  process.stdout.write('', () => process.exit(code));
}

void main();
