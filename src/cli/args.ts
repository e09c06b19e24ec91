import { KafkaRxError } from '../errors';

/** How one flag is read: a string value, a whole number, or a switch with no value. */
export type FlagKind = 'string' | 'integer' | 'boolean';

export interface FlagSpec {
  readonly kind: FlagKind;
  readonly required?: boolean;
  /** Allowed values, for a string flag. */
  readonly choices?: readonly string[];
}

export type ParsedFlags = Record<string, string | number | boolean | undefined>;

/** A bad command line: the message says what is wrong; the command prints it with the usage. */
export class UsageError extends KafkaRxError {
  constructor(message: string) {
    super('UsageError', message);
  }
}

/**
 * Reads `--name value`, `--name=value` and `--switch` flags against a table of known flags.
 * Unknown flags, missing values, bad numbers and missing required flags are `UsageError`s.
 */
export function parseFlags(argv: readonly string[], specs: Readonly<Record<string, FlagSpec>>): ParsedFlags {
  const flags: ParsedFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown flag --${name}`);
    if (spec.kind === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) value = argv[++i];
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
    if (spec.kind === 'integer') {
      if (!/^\d+$/.test(value)) throw new UsageError(`--${name} takes a whole number, not "${value}"`);
      flags[name] = Number(value);
    } else {
      if (spec.choices && !spec.choices.includes(value)) {
        throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}, not "${value}"`);
      }
      flags[name] = value;
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.required && flags[name] === undefined) throw new UsageError(`--${name} is required`);
  }
  return flags;
}

/** `--brokers a:1,b:2` as a list, each checked to be host:port. */
export function parseBrokers(value: string): string[] {
  const brokers = value
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  if (brokers.length === 0) throw new UsageError('--brokers needs at least one host:port');
  for (const b of brokers) {
    const m = /^(.+):(\d+)$/.exec(b);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535)
      throw new UsageError(`--brokers: "${b}" is not host:port`);
  }
  return brokers;
}
