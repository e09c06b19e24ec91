import { TestScheduler } from 'rxjs/testing';
import { createAdmin } from '../../src/admin';
import { createMemoryTransport } from '../../src/transport/memory-transport';
import { fakeFrameHandler, fakeState } from '../support/fake-frame-handler';

describe('admin: a cluster never reached', () => {
  // Before, the call failed at about 3 s with a retriable BootstrapError: its cluster's `retries` (5) were spent.
  it('fails a call with a final BootstrapError once bootstrapTimeoutMs has passed, as the other clients do, not when `retries` run out', async () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const state = fakeState();
    state.down.add('b1:9092');
    const outcomes: string[] = [];
    let failedAt = -1;
    scheduler.run(() => {
      const admin = createAdmin({
        brokers: ['b1:9092'],
        clock: scheduler,
        bootstrapTimeoutMs: 5000,
        transport: createMemoryTransport({
          handler: fakeFrameHandler(state, scheduler),
          clock: scheduler,
          random: () => 0.5,
        }),
      });
      admin.listTopics().then(
        () => outcomes.push('ok'),
        (e: Error & { retriable?: boolean }) => {
          failedAt = scheduler.now();
          outcomes.push(`${e.name} ${e.retriable ? 'retriable' : 'final'}`);
        },
      );
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(outcomes).toEqual(['BootstrapError final']);
    // At the first attempt after the deadline: within two of the largest backoffs (1 s, ±20 %).
    expect(failedAt).toBeGreaterThanOrEqual(5000);
    expect(failedAt).toBeLessThan(5000 + 2 * 1200);
  });
});
