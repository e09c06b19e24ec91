/**
 * The tables a benchmark prints and, with `--markdown <file>`, writes for the README to quote:
 * one Markdown table with padded columns, under a line that says what was measured and how.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';

/** A Markdown table whose columns are padded to one width, so it reads in a terminal too. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${widths.map((w, i) => (cells[i] ?? '').padEnd(w)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** `ours ÷ theirs` as `2.10x`, `—` for kafka-rx's own row, `n/a` without both figures. */
export function ratio(ours: number | undefined, theirs: number | undefined, self: boolean): string {
  if (self) return '—';
  if (ours === undefined || theirs === undefined || theirs === 0) return 'n/a';
  return `${(ours / theirs).toFixed(2)}x`;
}

/** Writes `# title`, the notes and the table to `file` (creating its folder). */
export function writeMarkdown(file: string, title: string, notes: string, table: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `### ${title}\n\n${notes}\n\n${table}\n`);
}

/** A client's row when it has no result: its name, what happened, the other columns blank. */
export function failedRow(name: string, what: string, error: string | null, columns: number): string[] {
  return [name, `${what} (${error})`, ...new Array<string>(columns - 2).fill('')];
}

/** Prints the notes and the table and, with `--markdown FILE`, writes them there too. */
export function printTable(markdown: string | undefined, title: string, notes: string, table: string): void {
  console.log(`\n${notes}\n\n${table}`);
  if (!markdown) return;
  writeMarkdown(markdown, title, notes, table);
  console.log(`\nWrote ${markdown}`);
}

/** Kafka or the mock, as a table's title says it. */
export function brokerTitle(broker: 'kafka' | 'mock'): string {
  return broker === 'kafka' ? 'Apache Kafka' : 'mock cluster';
}

/** Node's version and the machine's cores, for a table's notes. */
export function machine(): string {
  return `node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})`;
}
