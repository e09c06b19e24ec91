import type { SchedulerLike } from 'rxjs';
import { createProducer, type Producer } from '../../src/producer';
import type { FakeCluster } from '../../src/testing';
import { createMemoryTransport } from '../../src/transport';

/**
 * A producer with `transactionalId` on the fake cluster over the memory transport, in
 * `scheduler`'s time; it sends each record at once (lingerMs 0), so virtual-time steps line up.
 */
export function transactionalProducer(
  cluster: FakeCluster,
  scheduler: SchedulerLike,
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
