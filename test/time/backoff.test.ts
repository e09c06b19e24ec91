import { backoffMs } from '../../src/time/backoff';

describe('backoffMs', () => {
  const middle = () => 0.5; // the centre of the jitter: no spread
  const kafka = { initial: 100, max: 10000, jitter: 0.2 };

  it('waits nothing before the first attempt, then doubles from the initial wait up to the maximum', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffMs(n, kafka, middle))).toEqual([
      0, 100, 200, 400, 800, 1600, 3200, 6400, 10000,
    ]);
  });

  it('spreads the wait by the jitter either way', () => {
    expect(backoffMs(3, kafka, () => 0)).toBe(320);
    expect(backoffMs(3, kafka, () => 0.999999)).toBe(480);
  });

  it('never exceeds the maximum, jitter included', () => {
    expect(backoffMs(50, kafka, () => 0.999999)).toBe(10000);
  });

  it('without jitter gives the exact doubling and never asks for a random number', () => {
    const random = jest.fn(() => 0);
    expect([1, 2, 3, 4].map((n) => backoffMs(n, { initial: 100, max: 1000, jitter: 0 }, random))).toEqual([
      100, 200, 400, 800,
    ]);
    expect(random).not.toHaveBeenCalled();
  });

  it('with the maximum at the initial wait, waits the same each time', () => {
    expect([1, 2, 5].map((n) => backoffMs(n, { initial: 250, max: 250, jitter: 0 }))).toEqual([
      250, 250, 250,
    ]);
  });
});
