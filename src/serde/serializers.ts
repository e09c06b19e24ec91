import type { Serializer } from './serializer';

const string: Serializer<string> = (data) => Buffer.from(data, 'utf8');

const buffer: Serializer<Buffer> = (data) => data;

/** JSON text as UTF-8; a value JSON cannot write (undefined, a function) is a failure. */
function json<T = unknown>(): Serializer<T> {
  return (data) => {
    const text: string | undefined = JSON.stringify(data);
    if (text === undefined) throw new TypeError(`JSON cannot represent ${typeof data}`);
    return Buffer.from(text, 'utf8');
  };
}

/** The built-in serializers: `string` (UTF-8), `json<T>()` and `buffer` (sent as given). */
export const serializers = { string, json, buffer } as const;
