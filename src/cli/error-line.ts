/**
 * The one form in which every subcommand reports an error on standard error:
 * `kafka-rx: <ErrorName>: <message>`, e.g. `kafka-rx: BootstrapError: no bootstrap broker ...`.
 */
export function errorLine(error: unknown): string {
  if (error instanceof Error) return `kafka-rx: ${error.name}: ${error.message}`;
  return `kafka-rx: Error: ${String(error)}`;
}
