import type { Deserializer } from './deserializer';

const string: Deserializer<string> = (data) => data.toString('utf8');

const buffer: Deserializer<Buffer> = (data) => data;

/**
 * JSON text as UTF-8. With `guard`, a parsed value the guard refuses is a failure too, so that
 * `T` is checked rather than assumed.
 */
function json<T = unknown>(guard?: (value: unknown) => value is T): Deserializer<T> {
  return (data) => {
    const parsed: unknown = JSON.parse(data.toString('utf8'));
    if (guard !== undefined && !guard(parsed))
      throw new TypeError('the JSON value is not of the expected shape');
    return parsed as T;
  };
}

/** The built-in deserializers: `string` (UTF-8), `json<T>(guard?)` and `buffer` (the bytes as fetched). */
export const deserializers = { string, json, buffer } as const;
