/**
 * A value as the user gave it, for messages: `"10000" (a string)`, `10.5`, `null`, `[1,2] (an
 * array)`. Strings are quoted so that `"10000"` and `10000` read differently.
 */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  switch (typeof value) {
    case 'string':
      return `${JSON.stringify(value)} (a string)`;
    case 'number':
      return String(value);
    case 'bigint':
      return `${value}n (a bigint)`;
    case 'boolean':
      return `${value} (a boolean)`;
    case 'function':
      return 'a function';
    case 'symbol':
      return `${String(value)} (a symbol)`;
    default:
      return Array.isArray(value) ? 'an array' : 'an object';
  }
}
