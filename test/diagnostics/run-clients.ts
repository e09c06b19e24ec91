import { TestScheduler } from 'rxjs/testing';
import { createConsumer, processRecords } from '../../src/consumer';
import { createProducer } from '../../src/producer';
import { createFakeCluster } from '../../src/testing';
import { createMemoryTransport } from '../../src/transport';

/**
 * A producer and a consumer over the fake cluster in virtual time: three records sent, consumed
 * through processRecords, committed by hand, then both closed. Returns the values consumed.
 */
export function runClients(clientId = 'observed'): string[] {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const consumed: string[] = [];
  scheduler.run(() => {
    const cluster = createFakeCluster({ topics: { orders: 2 }, clock: scheduler });
    const transport = () => createMemoryTransport({ handler: cluster.handler, clock: scheduler, clientId });
    const producer = createProducer({
      brokers: cluster.bootstrap,
      clock: scheduler,
      transport: transport(),
      clientId,
    });
    const consumer = createConsumer({
      brokers: cluster.bootstrap,
      clock: scheduler,
      transport: transport(),
      clientId,
      groupId: 'billing',
      topics: ['orders'],
      fromBeginning: true,
      autoCommit: false,
    });
    producer.send([
      { topic: 'orders', key: 'k1', value: 'a' },
      { topic: 'orders', key: 'k2', value: 'b' },
      { topic: 'orders', key: 'k3', value: 'c' },
    ]);
    const subscription = consumer.messages$
      .pipe(processRecords((record) => void consumed.push(String(record.value))))
      .subscribe();
    scheduler.schedule(() => void consumer.commit(), 5000);
    scheduler.schedule(() => subscription.unsubscribe(), 6000);
    scheduler.schedule(() => void consumer.close(), 6001);
    scheduler.schedule(() => void producer.close(), 6002);
  });
  return consumed;
}
