/**
 * A kafka-rx share consumer in a process of its own, for the test that kills it while it holds
 * records. Args: bootstrap group topic. Takes records in explicit mode and never settles them;
 * prints `held N` as they arrive. Exits when its standard input ends (it dies with the test).
 */
import { createShareConsumer } from '../../../../src';

const [bootstrap, groupId, topic] = process.argv.slice(2);
const consumer = createShareConsumer({
  brokers: [bootstrap!],
  groupId: groupId!,
  topics: [topic!],
  acknowledgementMode: 'explicit',
  maxWaitMs: 200,
});
let held = 0;
consumer.records$.subscribe(() => {
  held += 1;
  process.stdout.write(`held ${held}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
