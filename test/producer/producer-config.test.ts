import { resolveProducerConfig } from '../../src/producer/producer-config';

describe('producer options', () => {
  it('defaults like the Java client 3.x: acks=all, idempotent, linger 5 ms, 16 KiB batches, 1 MiB requests', () => {
    expect(resolveProducerConfig({ brokers: ['h:1'] })).toMatchObject({
      acks: -1,
      idempotent: true,
      lingerMs: 5,
      batchBytes: 16384,
      maxInFlightPerBroker: 5,
      maxRequestSize: 1048576,
      compression: 'none',
      deliveryTimeoutMs: 120000,
    });
  });

  it('turns idempotence off by default when acks is not all', () => {
    expect(resolveProducerConfig({ brokers: ['h:1'], acks: 1 }).idempotent).toBe(false);
    expect(resolveProducerConfig({ brokers: ['h:1'], acks: 'all' }).acks).toBe(-1);
  });

  it.each([
    [{ acks: 0, idempotent: true }, "needs acks='all'"],
    [{ maxInFlightPerBroker: 6 }, 'at most 5 requests in flight'],
    [{ lingerMs: -1 }, 'lingerMs must be at least 0, got -1'],
    [{ compression: 'brotli' }, 'compression must be one of'],
    [{ acks: 2 }, 'acks must be 0, 1, -1'],
    [{ transactionalId: 'tx', acks: 1 }, "a transactional producer needs acks='all'"],
    [{ transactionalId: 'tx', idempotent: false }, 'idempotent cannot be false'],
    [{ transactionalId: '' }, 'transactionalId must be a non-empty string'],
  ])('rejects %j', (options, message) => {
    expect(() => resolveProducerConfig({ brokers: ['h:1'], ...(options as object) })).toThrow(
      expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining(message) }),
    );
  });
});
