import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { TestScheduler } from 'rxjs/testing';
import type { ConnectTrace, RequestTrace } from '../../src/diagnostics';
import { Metadata } from '../../src/protocol/specs';
import { createMemoryTransport } from '../../src/transport/memory-transport';
import { fakeFrameHandler, fakeState } from '../support/fake-frame-handler';

const b1 = { host: 'b1', port: 9092, nodeId: 1 };
const allTopics = { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false };

// Failures on the request and connect channels, in virtual time: a broker that stops answering.
describe('diagnostics channels on failure', () => {
  it('publishes a timed-out request on error, with its latency, before asyncStart', () => {
    const seen: string[] = [];
    const record = (event: string) => (message: unknown) => {
      const r = message as RequestTrace;
      seen.push(`${event} ${r.apiName} ${r.latencyMs ?? '-'} ${r.error?.name ?? '-'}`);
    };
    const listeners = ['start', 'error', 'asyncStart'].map(
      (event) => [`tracing:kafka-rx:request:${event}`, record(event)] as const,
    );
    const connects: ConnectTrace[] = [];
    const onConnect = (message: unknown) => connects.push(message as ConnectTrace);
    for (const [name, listener] of listeners) subscribe(name, listener);
    subscribe('tracing:kafka-rx:connect:asyncEnd', onConnect);
    try {
      const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
      const state = fakeState({ delayMs: 5 });
      scheduler.run(() => {
        const transport = createMemoryTransport({
          handler: fakeFrameHandler(state, scheduler),
          clock: scheduler,
          requestTimeoutMs: 1000,
          clientId: 'timed',
        });
        transport.request(b1, Metadata, allTopics).subscribe();
        scheduler.schedule(() => state.silent.add('b1:9092'), 20);
        scheduler.schedule(
          () => transport.request(b1, Metadata, allTopics).subscribe({ error: () => undefined }),
          30,
        );
        scheduler.schedule(() => void transport.close(), 2000);
      });
    } finally {
      for (const [name, listener] of listeners) unsubscribe(name, listener);
      unsubscribe('tracing:kafka-rx:connect:asyncEnd', onConnect);
    }
    expect(seen).toEqual([
      'start ApiVersions - -',
      'asyncStart ApiVersions 5 -',
      'start Metadata - -',
      'asyncStart Metadata 5 -',
      'start Metadata - -',
      'error Metadata 1000 RequestTimeoutError',
      'asyncStart Metadata 1000 RequestTimeoutError',
    ]);
    expect(connects.map((c) => [c.broker.host, c.clientId, c.durationMs, c.error])).toEqual([
      ['b1', 'timed', 5, undefined],
    ]);
  });
});
