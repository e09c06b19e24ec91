import { reconnectBackoff } from '../../src/transport/backoff';

describe('reconnectBackoff', () => {
  const middle = () => 0.5; // no jitter

  it('doubles with each failed attempt from the base, up to the maximum', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => reconnectBackoff(n, 100, 10000, middle))).toEqual([
      100, 100, 200, 400, 800, 1600, 3200, 6400, 10000,
    ]);
  });

  it('spreads the wait by 20 % either way', () => {
    expect(reconnectBackoff(3, 100, 10000, () => 0)).toBe(320);
    expect(reconnectBackoff(3, 100, 10000, () => 0.999999)).toBe(480);
  });

  it('never exceeds the maximum, jitter included', () => {
    expect(reconnectBackoff(50, 100, 10000, () => 0.999999)).toBe(10000);
  });
});
