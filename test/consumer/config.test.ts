import { resolveConsumerConfig, type ConsumerConfig } from '../../src/consumer/config';

const base: ConsumerConfig = { brokers: ['localhost:9092'], groupId: 'g', topics: ['t'] };

describe('resolveConsumerConfig', () => {
  it('fills in the documented defaults', () => {
    const c = resolveConsumerConfig(base);
    expect(c).toMatchObject({
      sessionTimeoutMs: 45000,
      heartbeatIntervalMs: 3000,
      maxPollIntervalMs: 300000,
      rebalanceTimeoutMs: 300000,
      autoCommitIntervalMs: 5000,
      ackMode: 'auto',
      fromBeginning: false,
      isolationLevel: 1,
      minBytes: 1,
      maxBytes: 50 * 1024 * 1024,
      maxPartitionBytes: 1024 * 1024,
      maxWaitMs: 500,
      clientId: 'kafka-rx',
    });
    expect(c.assignors.map((a) => a.name)).toEqual(['range']);
  });

  it.each<[string, Partial<ConsumerConfig> & Record<string, unknown>, RegExp]>([
    ['missing groupId', { groupId: '' }, /groupId/],
    ['no topics', { topics: undefined }, /no topics/],
    ['empty topic list', { topics: [] }, /at least one topic/],
    ['topics and pattern', { topicPattern: /x/ }, /either topics or topicPattern/],
    [
      'heartbeat >= session timeout',
      { sessionTimeoutMs: 3000, heartbeatIntervalMs: 3000 },
      /heartbeatIntervalMs \(3000\) must be lower than sessionTimeoutMs/,
    ],
    ['negative session timeout', { sessionTimeoutMs: -1 }, /sessionTimeoutMs must be at least 1/],
    ['fractional interval', { autoCommit: { intervalMs: 1.5 } }, /autoCommit.intervalMs must be an integer/],
    ['bad ack mode', { autoCommit: { ackMode: 'sometimes' as never } }, /ackMode/],
    ['no brokers', { brokers: [] }, /brokers/],
    ['broker without port', { brokers: ['localhost'] }, /host:port/],
    ['bad isolation level', { isolationLevel: 'dirty' as never }, /isolationLevel/],
    ['unknown assignor', { assignors: ['sticky-ish'] }, /unknown assignor/],
    ['negative fetch size', { fetch: { maxBytes: -5 } }, /fetch.maxBytes/],
  ])('rejects %s with a ConfigError', (_name, patch, message) => {
    let error: Error | undefined;
    try {
      resolveConsumerConfig({ ...base, ...patch } as ConsumerConfig);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('ConfigError');
    expect(error?.message).toMatch(message);
  });

  it('turns auto-commit off with autoCommit: false', () => {
    expect(resolveConsumerConfig({ ...base, autoCommit: false }).autoCommitIntervalMs).toBeNull();
  });
});
