/**
 * kafka-rx as bench/consume-runners/kafka-rx.ts runs it, with a no-op listener on every event of
 * every diagnostics channel: against the plain runner, what listening costs (every payload made
 * and published). Without listeners the channels cost a `hasSubscribers` check per operation.
 */
import { subscribe } from 'node:diagnostics_channel';
import { channelNames } from '../../src/diagnostics/channels';

const noop = (): void => undefined;
for (const [key, name] of Object.entries(channelNames)) {
  if (key === 'rebalance') subscribe(name, noop);
  else
    for (const event of ['start', 'end', 'asyncStart', 'asyncEnd', 'error'])
      subscribe(`tracing:${name}:${event}`, noop);
}

// The plain runner, loaded after the listeners are in place; it starts itself.
void import('./kafka-rx');
