import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { channelNames, payloads } from '../../src/diagnostics';
import { runClients } from './run-clients';

// With nobody listening on a channel, no payload object is made for it: every payload comes from
// `payloads`, and a spy on each maker counts the calls over a whole produce-consume-commit run.
describe('diagnostics channels cost nothing without subscribers', () => {
  const makers = Object.keys(payloads) as Array<keyof typeof payloads>;
  let spies: jest.SpyInstance[];
  beforeEach(() => {
    spies = makers.map((name) => jest.spyOn(payloads, name));
  });
  afterEach(() => jest.restoreAllMocks());

  const calls = () => Object.fromEntries(makers.map((name, i) => [name, spies[i].mock.calls.length]));

  it('makes no payload when no channel has a subscriber', () => {
    expect(runClients().sort()).toEqual(['a', 'b', 'c']);
    expect(calls()).toEqual(Object.fromEntries(makers.map((name) => [name, 0])));
  });

  it('makes every payload when every channel is listened to (the run takes every path)', () => {
    const noop = () => undefined;
    const listened = Object.values(channelNames).map((name) =>
      name === channelNames.rebalance ? name : `tracing:${name}:asyncEnd`,
    );
    for (const name of listened) subscribe(name, noop);
    try {
      runClients();
    } finally {
      for (const name of listened) unsubscribe(name, noop);
    }
    expect(makers.filter((name) => calls()[name] === 0)).toEqual([]);
  });

  it('makes the payloads of the channels listened to, and only those', () => {
    const noop = () => undefined;
    // A tracing channel is five channels; listening to one of them is enough.
    const listened = [`tracing:${channelNames.request}:start`, `tracing:${channelNames.fetch}:asyncEnd`];
    for (const name of listened) subscribe(name, noop);
    try {
      runClients();
    } finally {
      for (const name of listened) unsubscribe(name, noop);
    }
    const made = calls();
    expect(made.request).toBeGreaterThan(0);
    expect(made.fetch).toBeGreaterThan(0);
    expect({ ...made, request: 0, fetch: 0 }).toEqual(Object.fromEntries(makers.map((name) => [name, 0])));
  });
});
