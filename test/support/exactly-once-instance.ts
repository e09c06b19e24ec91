/**
 * One instance of the exactly-once pipeline (examples/consume-transform-produce.ts), run as its
 * own process so a test can SIGKILL it mid-transaction:
 *
 *   node --require ./bench/register.js test/support/exactly-once-instance.ts <brokers> <count>
 *
 * Group `eos`, transactional id `eos-0`, five inputs per transaction, short group timeouts.
 */
import { exactlyOnce } from '../../examples/consume-transform-produce';

const [brokers, count] = process.argv.slice(2);

// Dies with the test: its end of our stdin closes when the test process goes.
process.stdin.on('end', () => process.exit(1));
process.stdin.resume();

exactlyOnce({
  brokers: brokers.split(','),
  groupId: 'eos',
  count: Number(count),
  batchSize: 5,
  timeouts: { sessionTimeoutMs: 1000, heartbeatIntervalMs: 200, rebalanceTimeoutMs: 2000 },
}).then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`error ${String(e)}\n`);
    process.exit(1);
  },
);
