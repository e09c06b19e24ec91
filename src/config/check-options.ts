import { ConfigError } from './config-error';
import { describeValue } from './describe-value';
import { didYouMean } from './did-you-mean';

/**
 * The option names an options object may hold, as a table the compiler checks against its
 * interface: `Record<keyof Required<Options>, true>` fails to compile when an option is added to
 * the interface and not here.
 */
export type OptionNames<T> = Record<keyof Required<T>, true>;

/**
 * Checks that `options` is an object holding only known names (JavaScript callers have no
 * compiler to catch `sessionTimeout` for `sessionTimeoutMs`). `where` prefixes nested objects
 * (`autoCommit.`). Throws a `ConfigError` with a did-you-mean.
 */
export function checkOptionNames<T>(
  what: string,
  options: unknown,
  names: OptionNames<T>,
  where = '',
): asserts options is T {
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    throw new ConfigError(`${what} needs an options object, got ${describeValue(options)}`);
  const known = Object.keys(names);
  for (const name of Object.keys(options)) {
    if (Object.prototype.hasOwnProperty.call(names, name)) continue;
    const guess = didYouMean(name, known);
    throw new ConfigError(
      `${what}: unknown option ${where}${name}${guess === undefined ? '' : `; did you mean ${where}${guess}?`}`,
    );
  }
}

const INT32_MAX = 0x7fffffff;

/** An integer option within [min, max], or `fallback` when absent. */
export function integerOption(
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max = INT32_MAX,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new ConfigError(`${name} must be an integer, got ${describeValue(value)}`);
  if (value < min) throw new ConfigError(`${name} must be at least ${min}, got ${value}`);
  if (value > max) throw new ConfigError(`${name} must be at most ${max}, got ${value}`);
  return value;
}

/** A boolean option, or `fallback` when absent; `'yes'`, `1` and `'true'` are refused. */
export function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new ConfigError(`${name} must be true or false, got ${describeValue(value)}`);
  return value;
}

/** A non-empty string option, or `fallback` when absent. */
export function stringOption<F extends string | undefined>(
  name: string,
  value: unknown,
  fallback: F,
): string | F {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '')
    throw new ConfigError(`${name} must be a non-empty string, got ${describeValue(value)}`);
  return value;
}
