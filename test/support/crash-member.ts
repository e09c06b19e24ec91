/**
 * A group member for crash tests, run as its own process:
 *
 *   node --require ./bench/register.js test/support/crash-member.ts <brokers> <topic> <group>
 *
 * It handles records with processRecords (10 ms of work each, three partitions at once) and
 * prints `done <partition> <offset>` when a record's work has completed. The test SIGKILLs it
 * mid-work; no close, no LeaveGroup, no last commit.
 */
import { tap, timer } from 'rxjs';
import { createConsumer, processRecords } from '../../src';

const [brokers, topic, groupId] = process.argv.slice(2);

// Dies with the test: its end of our stdin closes when the test process goes.
process.stdin.on('end', () => process.exit(1));
process.stdin.resume();

const consumer = createConsumer({
  brokers: brokers.split(','),
  groupId,
  topics: [topic],
  fromBeginning: true,
  autoCommit: { intervalMs: 50 },
  sessionTimeoutMs: 1000,
  heartbeatIntervalMs: 200,
  rebalanceTimeoutMs: 2000,
});

consumer.messages$
  .pipe(
    processRecords(
      (record) =>
        // Reported once the work is done, before processRecords acknowledges the record.
        timer(10).pipe(tap(() => process.stdout.write(`done ${record.partition} ${record.offset}\n`))),
      { concurrency: 3 },
    ),
  )
  .subscribe({ error: (e: unknown) => process.stderr.write(`error ${String(e)}\n`) });
