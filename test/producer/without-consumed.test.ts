import { withoutConsumed } from '../../src/producer/without-consumed';

describe('withoutConsumed', () => {
  const numbers = (n: number) => Array.from({ length: n }, (_, i) => i);

  it('gives an empty array once every item is read, and the same array when none is', () => {
    const items = numbers(3);
    expect(withoutConsumed(items, 3)).toEqual([]);
    expect(withoutConsumed(items, 3)).not.toBe(items);
    expect(withoutConsumed(items, 0)).toBe(items);
    const empty: number[] = [];
    expect(withoutConsumed(empty, 0)).toBe(empty);
  });

  it('keeps the array while fewer than 1024 items, or fewer than half, are read', () => {
    const items = numbers(3000);
    expect(withoutConsumed(items, 1023)).toBe(items);
    expect(withoutConsumed(items, 1499)).toBe(items);
  });

  it('copies the unread items once at least 1024 and half are read', () => {
    const items = numbers(3000);
    expect(withoutConsumed(items, 1500)).toEqual(numbers(3000).slice(1500));
    expect(withoutConsumed(numbers(2048), 1024)).toEqual(numbers(2048).slice(1024));
  });
});
