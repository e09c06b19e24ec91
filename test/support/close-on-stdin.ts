// A consumer in its own process, for tests of what close() leaves behind: it joins, prints
// `assigned`, and on the first line of standard input closes and prints `closed <ms>`. It never
// calls process.exit: the process must end by itself once close() resolves.
import { performance } from 'node:perf_hooks';
import { createConsumer } from '../../src';

const [brokers, closeTimeoutMs] = process.argv.slice(2);
const consumer = createConsumer({
  brokers: brokers.split(','),
  groupId: 'close-test',
  topics: ['orders'],
  closeTimeoutMs: Number(closeTimeoutMs),
});
consumer.events$.subscribe((e) => {
  if (e.type === 'close-timeout') console.log('close-timeout');
});
consumer.rebalances$.subscribe((r) => {
  if (r.type === 'assigned') console.log('assigned');
});
consumer.messages$.subscribe({ error: (e: Error) => console.log(`error ${e.name}`) });
process.stdin.once('data', () => {
  const start = performance.now();
  void consumer.close().then(() => console.log(`closed ${Math.round(performance.now() - start)}`));
});
