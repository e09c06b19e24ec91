import { resolveConsumerConfig, type ConsumerConfig } from '../../../src/consumer/config';

const base: ConsumerConfig = { brokers: ['localhost:9092'], groupId: 'g', topics: ['t'] };

describe('groupProtocol', () => {
  it("defaults to 'classic' with no remote assignor", () => {
    expect(resolveConsumerConfig(base)).toMatchObject({
      groupProtocol: 'classic',
      groupRemoteAssignor: null,
    });
  });

  it("takes 'consumer' with an optional server assignor", () => {
    expect(resolveConsumerConfig({ ...base, groupProtocol: 'consumer' })).toMatchObject({
      groupProtocol: 'consumer',
      groupRemoteAssignor: null,
    });
    expect(
      resolveConsumerConfig({ ...base, groupProtocol: 'consumer', groupRemoteAssignor: 'range' })
        .groupRemoteAssignor,
    ).toBe('range');
  });

  it('refuses an unknown protocol', () => {
    expect(() => resolveConsumerConfig({ ...base, groupProtocol: 'share' as never })).toThrow(
      /groupProtocol must be 'classic' or 'consumer', got "share"/,
    );
  });

  it.each([
    ['sessionTimeoutMs', { sessionTimeoutMs: 10000 }],
    ['heartbeatIntervalMs', { heartbeatIntervalMs: 1000 }],
    ['assignors', { assignors: ['range'] }],
  ])("refuses %s under 'consumer', as the Java client does", (name, option) => {
    expect(() => resolveConsumerConfig({ ...base, groupProtocol: 'consumer', ...option })).toThrow(
      new RegExp(`^${name} is not supported with groupProtocol: 'consumer'`),
    );
  });

  it("refuses groupRemoteAssignor under 'classic' and an empty one under 'consumer'", () => {
    expect(() => resolveConsumerConfig({ ...base, groupRemoteAssignor: 'uniform' })).toThrow(
      /groupRemoteAssignor is for/,
    );
    expect(() =>
      resolveConsumerConfig({ ...base, groupProtocol: 'consumer', groupRemoteAssignor: '' }),
    ).toThrow(/groupRemoteAssignor must be a non-empty string/);
  });
});
