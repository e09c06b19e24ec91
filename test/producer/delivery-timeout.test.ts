import { NEVER, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createProducerOn } from '../../src/producer';
import type { ApiSpec } from '../../src/protocol/spec';
import type { ResponseOf } from '../../src/protocol/spec-types';
import { jitteryClock } from '../support/jittery-clock';
import type { RequestArgs } from '../support/request-args';
import { ScriptedProducerCluster } from '../support/scripted-producer-cluster';

/** A cluster whose InitProducerId is never answered: nothing ever wakes the sender for the batch. */
class SilentInitCluster extends ScriptedProducerCluster {
  override request<A extends ApiSpec>(...args: RequestArgs<A>): Observable<ResponseOf<A>> {
    const [, api] = args;
    return api.name === 'InitProducerId' ? NEVER : super.request(...args);
  }
}

describe('deliveryTimeoutMs', () => {
  it.each([false, true])(
    'fails a batch that cannot be sent on its own timer, at deliveryTimeoutMs (timers early: %s)',
    (early) => {
      const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
      scheduler.run(({ expectObservable }) => {
        const clock = jitteryClock(scheduler, () => early);
        const cluster = new SilentInitCluster({ clock, topics: { t: 1 } });
        const producer = createProducerOn(
          { brokers: [], deliveryTimeoutMs: 1000, maxBlockMs: 60000 },
          { cluster, ownsCluster: false },
        );
        expectObservable(producer.send({ topic: 't', value: 'a' })).toBe(
          '1000ms #',
          undefined,
          expect.objectContaining({
            name: 'DeliveryTimeoutError',
            message: 't[0]: 1 record(s) not acknowledged within deliveryTimeoutMs (1000 ms)',
          }),
        );
      });
    },
  );
});
