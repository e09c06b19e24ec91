/** Headers as a producer record may have them: an object, or a list of pairs. */
type Headers =
  Readonly<Record<string, Buffer | string>> | readonly (readonly [string, Buffer | string | null])[];

/** `headers` with `name` set to `value` (an earlier header of that name replaced), in the same form. */
export function withHeader(headers: Headers | undefined, name: string, value: string): Headers {
  if (headers === undefined) return [[name, value]];
  if (Array.isArray(headers)) {
    const pairs = headers as readonly (readonly [string, Buffer | string | null])[];
    return [...pairs.filter(([key]) => key !== name), [name, value]];
  }
  return { ...(headers as Readonly<Record<string, Buffer | string>>), [name]: value };
}

/** The last value of header `name` of a consumed record, as text. */
export function headerText(
  headers: ReadonlyArray<readonly [string, Buffer | null]>,
  name: string,
): string | undefined {
  for (let i = headers.length - 1; i >= 0; i--) {
    const [key, value] = headers[i];
    if (key === name && value !== null) return value.toString('utf8');
  }
  return undefined;
}
