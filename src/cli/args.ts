import { didYouMean } from '../config';
import { KafkaRxError } from '../errors';

/** How one flag is read: a string value, a whole number, or a switch with no value. */
export type FlagKind = 'string' | 'integer' | 'boolean';

export interface FlagSpec {
  readonly kind: FlagKind;
  readonly required?: boolean;
  /** Allowed values, for a string flag. */
  readonly choices?: readonly string[];
  /** kcat's one-letter name for the same flag (`b` for `-b`). */
  readonly short?: string;
  /** May be given more than once: the values are kept in order, as a string array. */
  readonly repeated?: boolean;
}

export type ParsedFlags = Record<string, string | number | boolean | string[] | undefined>;

/** A bad command line: the message says what is wrong; the command prints it with the usage. */
export class UsageError extends KafkaRxError {
  constructor(message: string) {
    super('UsageError', message);
  }
}

/** `unknown flag --x`, with the closest known flag when one is close. */
function unknownFlag(given: string, specs: Readonly<Record<string, FlagSpec>>): UsageError {
  // A one-letter flag is kcat's: a guess from the long names would only confuse.
  const guess = given.startsWith('--') ? didYouMean(given.slice(2), Object.keys(specs)) : undefined;
  return new UsageError(`unknown flag ${given}${guess === undefined ? '' : ` (did you mean --${guess}?)`}`);
}

/**
 * Reads `--name value`, `--name=value`, `--switch` and kcat's short flags (`-b value`, `-bvalue`,
 * `-e`) against a table of known flags. Unknown flags (with a did-you-mean), missing values, bad
 * numbers and missing required flags are `UsageError`s. Arguments that are not flags go to
 * `positionals` when the command takes them, and are an error otherwise.
 */
export function parseFlags(
  argv: readonly string[],
  specs: Readonly<Record<string, FlagSpec>>,
  positionals?: string[],
): ParsedFlags {
  const flags: ParsedFlags = {};
  const byShort = new Map(
    Object.entries(specs).flatMap(([name, spec]) => (spec.short ? [[spec.short, name] as const] : [])),
  );
  const isFlag = (arg: string) => arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!isFlag(arg)) {
      if (positionals === undefined) throw new UsageError(`unexpected argument "${arg}"`);
      positionals.push(arg);
      continue;
    }
    let name: string;
    let value: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = arg.slice(2, eq === -1 ? undefined : eq);
      if (eq !== -1) value = arg.slice(eq + 1);
      if (!specs[name]) throw unknownFlag(`--${name}`, specs);
    } else {
      const long = byShort.get(arg[1]);
      if (long === undefined) throw unknownFlag(arg, specs);
      name = long;
      if (arg.length > 2) value = arg.slice(2);
    }
    const spec = specs[name];
    const shown = arg.startsWith('--') ? `--${name}` : `-${spec.short}`;
    if (spec.kind === 'boolean') {
      if (value !== undefined) throw new UsageError(`${shown} takes no value`);
      flags[name] = true;
      continue;
    }
    // A value may start with '-' (an offset of -10): a flag's value is the next argument, whatever it is.
    if (value === undefined && i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    if (value === undefined || value === '') throw new UsageError(`${shown} needs a value`);
    if (spec.kind === 'integer') {
      if (!/^\d+$/.test(value)) throw new UsageError(`${shown} takes a whole number, not "${value}"`);
      flags[name] = Number(value);
    } else {
      if (spec.choices && !spec.choices.includes(value)) {
        throw new UsageError(`${shown} must be one of ${spec.choices.join(', ')}, not "${value}"`);
      }
      if (spec.repeated) flags[name] = [...((flags[name] as string[] | undefined) ?? []), value];
      else flags[name] = value;
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.required && flags[name] === undefined) throw new UsageError(`--${name} is required`);
  }
  return flags;
}

/** Kafka's port, assumed when a broker is given as a host alone (`localhost`), as kcat does. */
const DEFAULT_PORT = 9092;

/** `--brokers a:1,b` as a list of host:port (a host without a port gets 9092). */
export function parseBrokers(value: string): string[] {
  const brokers = value
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0)
    .map((b) => (/:\d+$/.test(b) || b.includes(']:') ? b : `${b}:${DEFAULT_PORT}`));
  if (brokers.length === 0) throw new UsageError('--brokers needs at least one host:port');
  for (const b of brokers) {
    const m = /^(.+):(\d+)$/.exec(b);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535)
      throw new UsageError(`--brokers: "${b}" is not host:port`);
  }
  return brokers;
}

/** A subcommand's action, checked: an unknown one is a `UsageError` naming the closest. */
export function checkAction(action: string | undefined, actions: readonly string[]): string {
  if (action !== undefined && actions.includes(action)) return action;
  const guess = action === undefined ? undefined : didYouMean(action, actions);
  const list = `${actions.slice(0, -1).join(', ')} or ${actions[actions.length - 1]}`;
  throw new UsageError(
    action === undefined || action.startsWith('-')
      ? `give an action: ${list}`
      : `unknown action "${action}"${guess === undefined ? '' : ` (did you mean ${guess}?)`}: give ${list}`,
  );
}
