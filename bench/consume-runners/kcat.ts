/**
 * kcat (librdkafka, C) as the native baseline: `kcat -C -o beginning -c N`, a plain consumer of
 * every partition (no group), printing only partition, offset and key and value lengths. It runs under
 * `/usr/bin/time` for its own peak RSS and CPU time; this process reads its output and times the records as
 * they arrive. The librdkafka it loads comes from the environment the harness gives.
 */
import { spawn } from 'node:child_process';
import { fail, finish, message, runnerArgs, Tally, TIMED, timedUsage, watchFirstRecord } from './runner';

async function main(): Promise<void> {
  const args = runnerArgs();
  const tally = new Tally(args.records);
  const [time, ...timeArgs] = TIMED;
  const kcat = spawn(
    time,
    [
      ...timeArgs,
      'kcat',
      '-C',
      '-b',
      args.bootstrap,
      '-t',
      args.topic,
      '-o',
      'beginning',
      '-c',
      String(args.records),
      '-q',
      '-f',
      '%p %o %K %S\n',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  kcat.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  watchFirstRecord(args, tally, () => stderr.trim().split('\n').pop() ?? '');

  let partial = '';
  kcat.stdout.setEncoding('latin1');
  kcat.stdout.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const [partition, offset, keyBytes, valueBytes] = line.split(' ', 4).map(Number);
      tally.add(partition, offset, Math.max(0, keyBytes), Math.max(0, valueBytes));
    }
  });
  const code = await new Promise<number | null>((resolve) => kcat.once('close', resolve));
  if (code !== 0 || !tally.done)
    fail(`kcat exited with ${code} after ${tally.records} records: ${stderr.trim()}`);
  await finish(tally, async () => undefined, timedUsage(stderr));
}

main().catch((error: unknown) => fail(message(error)));
