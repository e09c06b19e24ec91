import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  channelNames,
  type CommitTrace,
  type ConnectTrace,
  type FetchTrace,
  type ProcessTrace,
  type ProduceBatchTrace,
  type ProduceSendTrace,
  type RebalanceMessage,
  type RequestTrace,
} from '../../src/diagnostics';
import { runClients } from './run-clients';

type Seen = { channel: string; event: string; payload: Record<string, unknown> };

/** Runs the clients with a listener on every event of every channel; what was published, in order. */
function listenToAll(): Seen[] {
  const seen: Seen[] = [];
  const listeners: Array<[string, (message: unknown) => void]> = [];
  for (const [key, name] of Object.entries(channelNames)) {
    const events = key === 'rebalance' ? [''] : ['start', 'end', 'asyncStart', 'asyncEnd', 'error'];
    for (const event of events) {
      const full = event === '' ? name : `tracing:${name}:${event}`;
      // A copy: the payload gains its outcome later, and the test wants what each event saw.
      const listener = (message: unknown) =>
        seen.push({ channel: key, event, payload: { ...(message as Record<string, unknown>) } });
      subscribe(full, listener);
      listeners.push([full, listener]);
    }
  }
  try {
    expect(runClients('observed').sort()).toEqual(['a', 'b', 'c']);
  } finally {
    for (const [name, listener] of listeners) unsubscribe(name, listener);
  }
  return seen;
}

describe('diagnostics channels', () => {
  const seen = listenToAll();
  const completed = <T>(channel: string) =>
    seen.filter((s) => s.channel === channel && s.event === 'asyncEnd').map((s) => s.payload as T);

  it('names every channel under the kafka-rx: prefix', () => {
    expect(Object.values(channelNames).every((name) => name.startsWith('kafka-rx:'))).toBe(true);
    expect(channelNames.request).toBe('kafka-rx:request');
    expect(channelNames.produceSend).toBe('kafka-rx:produce.send');
  });

  it('publishes each request as start, end, asyncStart, asyncEnd on one payload', () => {
    const produce = seen.filter((s) => s.channel === 'request' && s.payload.apiName === 'Produce');
    expect(produce.map((s) => s.event)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    const done = produce[3].payload as unknown as RequestTrace;
    expect(done).toMatchObject({ apiKey: 0, apiName: 'Produce', clientId: 'observed' });
    expect(typeof done.correlationId).toBe('number');
    expect(typeof done.apiVersion).toBe('number');
    expect(done.broker).toMatchObject({ host: expect.any(String), port: expect.any(Number) });
    expect(done.latencyMs).toBeGreaterThanOrEqual(0);
    const apis = new Set(completed<RequestTrace>('request').map((r) => r.apiName));
    for (const api of [
      'ApiVersions',
      'Metadata',
      'Produce',
      'Fetch',
      'JoinGroup',
      'SyncGroup',
      'OffsetCommit',
    ])
      expect(apis).toContain(api);
  });

  it('publishes connections with their duration', () => {
    const connects = completed<ConnectTrace>('connect');
    expect(connects.length).toBeGreaterThanOrEqual(2);
    for (const c of connects) {
      expect(c.clientId).toBe('observed');
      expect(c.durationMs).toBeGreaterThanOrEqual(0);
      expect(c.error).toBeUndefined();
    }
  });

  it('publishes a send with its records and, on completion, their metadata', () => {
    const sends =
      completed<ProduceSendTrace<{ value: string }, { offset: bigint; partition: number }>>('produceSend');
    expect(sends).toHaveLength(1);
    expect(sends[0].records.map((r) => r.value)).toEqual(['a', 'b', 'c']);
    expect(sends[0].result).toHaveLength(3);
    const batches = completed<ProduceBatchTrace>('produceBatch');
    expect(batches.reduce((n, b) => n + b.records, 0)).toBe(3);
    expect(batches.every((b) => b.bytes === b.batches.reduce((n, x) => n + x.bytes, 0))).toBe(true);
    expect(batches.every((b) => b.bytes > 61)).toBe(true);
  });

  it('publishes fetches with the records and bytes they brought', () => {
    const fetches = completed<FetchTrace>('fetch');
    expect(fetches.every((f) => f.groupId === 'billing' && f.clientId === 'observed')).toBe(true);
    expect(fetches.reduce((n, f) => n + f.records, 0)).toBe(3);
    expect(fetches.reduce((n, f) => n + f.bytes, 0)).toBeGreaterThan(0);
  });

  it('publishes each record processed, and commits with their results', () => {
    const processed = completed<ProcessTrace<{ value: Buffer }>>('process');
    expect(processed.map((p) => String(p.record.value)).sort()).toEqual(['a', 'b', 'c']);
    const commits = completed<CommitTrace<unknown, { offsets: unknown[] }>>('commit');
    const manual = commits.filter((c) => c.trigger === 'manual');
    expect(manual).toHaveLength(1);
    expect(manual[0].result?.offsets.length).toBeGreaterThan(0);
    expect(manual[0].error).toBeUndefined();
  });

  it('publishes rebalances', () => {
    const rebalances = seen
      .filter((s) => s.channel === 'rebalance')
      .map((s) => s.payload as unknown as RebalanceMessage);
    expect(rebalances[0]).toMatchObject({ type: 'assigned', groupId: 'billing', clientId: 'observed' });
    expect(rebalances[0].partitions).toHaveLength(2);
  });
});
