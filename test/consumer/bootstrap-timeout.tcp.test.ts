import { filter, firstValueFrom, materialize, timeout } from 'rxjs';
import { BootstrapError, createConsumer, type ConsumerEvent } from '../../src';
import { refusedPort } from '../support/refused-port';

// A consumer whose bootstrap address never answers: messages$ fails with a BootstrapError after
// bootstrapTimeoutMs, and every retry before that shows on events$.
describe('consumer against a cluster it never reaches (TCP, refused port)', () => {
  it('messages$ errors with a final BootstrapError after bootstrapTimeoutMs', async () => {
    const port = await refusedPort();
    const consumer = createConsumer({
      brokers: [`127.0.0.1:${port}`],
      groupId: 'g',
      topics: ['orders'],
      bootstrapTimeoutMs: 1000,
    });
    const events: ConsumerEvent[] = [];
    consumer.events$.subscribe((e) => events.push(e));
    const start = performance.now();
    const outcome = await firstValueFrom(
      consumer.messages$.pipe(
        materialize(),
        filter((n) => n.kind !== 'N'),
        // Bounded, so that a consumer that retries forever fails the test instead of holding jest.
        timeout({ first: 5000 }),
      ),
    ).finally(() => consumer.close());
    const elapsed = performance.now() - start;
    expect(outcome.kind).toBe('E');
    const error = outcome.kind === 'E' ? (outcome.error as BootstrapError) : undefined;
    expect(error).toBeInstanceOf(BootstrapError);
    expect(error?.retriable).toBe(false);
    expect(error?.message).toContain(`127.0.0.1:${port}`);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(3000);
    // Each failed attempt was visible at once, with its reason.
    const attempts = events.filter((e) => e.type === 'connect-error');
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(attempts[0].type === 'connect-error' && attempts[0].error.message).toMatch(/ECONNREFUSED|refused/);
    expect(events.filter((e) => e.type === 'error').map((e) => e.type === 'error' && e.error.name)).toEqual([
      'BootstrapError',
    ]);
  }, 10000);
});
