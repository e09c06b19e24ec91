import type { TestScheduler } from 'rxjs/testing';
import { createProducer, type Producer } from '../../src/producer';
import type { FakeCluster } from '../../src/testing';
import { createMemoryTransport } from '../../src/transport';

/**
 * kafka-rx's transactional producer with id `transactionalId` on a fake cluster, over the memory
 * transport in `scheduler`'s virtual time; no linger, so each send goes out at once.
 */
export function transactionalProducer(
  cluster: FakeCluster,
  scheduler: TestScheduler,
  transactionalId: string,
): Producer {
  return createProducer({
    brokers: cluster.bootstrap,
    clock: scheduler,
    transport: createMemoryTransport({ handler: cluster.handler, clock: scheduler }),
    transactionalId,
    lingerMs: 0,
  });
}
