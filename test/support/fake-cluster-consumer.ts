import type { TestScheduler } from 'rxjs/testing';
import { createConsumer, type Consumer, type ConsumerConfig } from '../../src/consumer';
import type { FakeCluster } from '../../src/testing';
import { createMemoryTransport } from '../../src/transport';

/**
 * A consumer of topic 't' from the beginning on a fake cluster, over the memory transport in
 * `scheduler`'s virtual time; `config` names the group and sets or overrides the rest.
 */
export function fakeClusterConsumer(
  cluster: FakeCluster,
  scheduler: TestScheduler,
  config: Partial<ConsumerConfig> & Pick<ConsumerConfig, 'groupId'>,
): Consumer {
  return createConsumer({
    brokers: cluster.bootstrap,
    clock: scheduler,
    transport: createMemoryTransport({ handler: cluster.handler, clock: scheduler }),
    topics: ['t'],
    fromBeginning: true,
    ...config,
  });
}
