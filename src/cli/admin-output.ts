import { KafkaRxError } from '../errors';

/** Rows as columns padded to their widest cell, as Kafka's own tools print tables. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** Per-item results: every failed item becomes one error naming them all, so the command exits 1. */
export function failIfAny(
  results: ReadonlyArray<{ readonly error?: KafkaRxError }>,
  what: (i: number) => string,
): void {
  const failed = results.flatMap((r, i) =>
    r.error ? [`${what(i)}: ${r.error.name} (${r.error.message})`] : [],
  );
  if (failed.length > 0) throw new KafkaRxError('AdminError', failed.join('; '));
}
