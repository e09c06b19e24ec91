// The README's code examples are regions of files under examples/, which the tests run. A code
// block in README.md preceded by `<!-- example: examples/FILE.ts#REGION -->` holds the text between
// `// #region REGION` and `// #endregion` in that file, dedented, with imports of '../src' shown as
// the package ('kafka-rx', 'kafka-rx/testing').
//
//   node --require ./bench/register.js scripts/readme-examples.ts          # rewrite the README's blocks
//   node --require ./bench/register.js scripts/readme-examples.ts --check  # exit 1 when one differs
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const marker = /^<!-- example: (\S+?)#(\S+) -->$/;

/** The text of `// #region name` in `file` (relative to the project root), as the README shows it. */
export function exampleRegion(file: string, name: string): string {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === `// #region ${name}`);
  if (start < 0) throw new Error(`${file} has no region "${name}"`);
  const end = lines.findIndex((l, i) => i > start && l.trim().startsWith('// #endregion'));
  if (end < 0) throw new Error(`${file}: region "${name}" is not closed`);
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return body
    .map((l) => l.slice(indent))
    .join('\n')
    .replace(/from '\.\.\/src\/testing'/g, "from 'kafka-rx/testing'")
    .replace(/from '\.\.\/src'/g, "from 'kafka-rx'");
}

/** The README with every marked block replaced by its region, and the regions it names. */
export function renderReadme(readme: string): { text: string; examples: string[] } {
  const lines = readme.split('\n');
  const out: string[] = [];
  const examples: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    out.push(lines[i]);
    const m = marker.exec(lines[i]);
    if (!m) continue;
    // Prettier puts a blank line between the marker and its block; both forms are read.
    const open = lines[i + 1] === '' ? i + 2 : i + 1;
    if (!lines[open]?.startsWith('```'))
      throw new Error(`README line ${i + 1}: a marker must precede a code block`);
    const close = lines.findIndex((l, j) => j > open && l === '```');
    if (close < 0) throw new Error(`README line ${open + 1}: code block not closed`);
    out.push(...lines.slice(i + 1, open + 1), exampleRegion(m[1], m[2]), '```');
    examples.push(`${m[1]}#${m[2]}`);
    i = close;
  }
  return { text: out.join('\n'), examples };
}

if (require.main === module) {
  const path = join(root, 'README.md');
  const readme = readFileSync(path, 'utf8');
  const { text, examples } = renderReadme(readme);
  const check = process.argv.includes('--check');
  if (check && text !== readme) {
    console.error(
      'README.md: an example differs from its region in examples/; run scripts/readme-examples.ts',
    );
    process.exit(1);
  }
  if (!check && text !== readme) writeFileSync(path, text);
  console.log(`${examples.length} README examples ${check ? 'match' : 'written'}`);
}
