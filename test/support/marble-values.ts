/** Marble values named a, b, c, ... in the order given: `byLetter('x', 'y')` is `{ a: 'x', b: 'y' }`. */
export function byLetter<T>(...values: T[]): Record<string, T> {
  return Object.fromEntries(values.map((value, i) => [String.fromCharCode(0x61 + i), value]));
}
