/**
 * kcat (librdkafka, C): `kcat -P -l <file>` with acks=all, every other setting at librdkafka's
 * default but the codec. It runs under `/usr/bin/time` for its own peak RSS and CPU time; its
 * time is from its start to its exit, so it includes the process start (tens of ms). The file is
 * written before the clock starts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fail, finish, keys, message, produceArgs, TIMED, timedUsage, wallClockMs } from './runner';

async function main(): Promise<void> {
  const args = produceArgs();
  const dir = mkdtempSync(join(tmpdir(), 'bench-produce-'));
  const file = join(dir, 'records');
  const value = 'v'.repeat(args.valueBytes);
  writeFileSync(
    file,
    keys(args.records)
      .map((key) => `${key}\t${value}\n`)
      .join(''),
  );
  let stderr = '';
  const firstSendAt = wallClockMs();
  let code: number | null;
  try {
    const [time, ...timeArgs] = TIMED;
    const kcat = spawn(
      time,
      [
        ...timeArgs,
        'kcat',
        '-P',
        '-b',
        args.bootstrap,
        '-t',
        args.topic,
        '-K',
        '\t',
        '-z',
        args.compression,
        '-X',
        'acks=all',
        '-l',
        file,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    kcat.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    code = await new Promise<number | null>((resolve) => kcat.once('close', resolve));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const lastAckAt = wallClockMs();
  if (code !== 0) fail(`kcat -P exited with ${code}: ${stderr.trim()}`);
  finish(args.records, firstSendAt, lastAckAt, timedUsage(stderr));
}

main().catch((error: unknown) => fail(message(error)));
