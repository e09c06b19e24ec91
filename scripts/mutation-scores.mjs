// Prints the mutation score of each core module from the JSON reports that `npm run test:mutation`
// writes (reports/mutation/*.json), as a Markdown table; with --survivors, every mutant that lived.
// Score = (killed + timeout) / (killed + timeout + survived + no coverage), as Stryker counts it:
// mutants that crash the test process (runtime errors) and static mutants (ignored) are not in it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { coreModules } from '../stryker.config.mjs';

const dir = 'reports/mutation';
const reports = existsSync(dir)
  ? readdirSync(dir).filter((name) => name.endsWith('.json') && !name.endsWith('.incremental.json'))
  : [];

// Per source file, the result of the newest report that has it (module runs and whole-core runs mix).
const latest = new Map();
for (const name of reports) {
  const path = join(dir, name);
  const mtime = statSync(path).mtimeMs;
  const { files } = JSON.parse(readFileSync(path, 'utf8'));
  for (const [file, result] of Object.entries(files)) {
    if ((latest.get(file)?.mtime ?? -1) < mtime) latest.set(file, { mtime, result });
  }
}

const globToRegExp = (glob) =>
  new RegExp(
    '^' +
      glob
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*\//g, '(?:.*/)?')
        .replace(/\*/g, '[^/]*') +
      '$',
  );

const counted = ['Killed', 'Timeout', 'Survived', 'NoCoverage'];
console.log(
  '| module | files | mutants | killed | timeout | survived | no coverage | errors | ignored | score |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const survivors = [];
for (const [module, { mutate: globs }] of Object.entries(coreModules)) {
  const patterns = globs.map(globToRegExp);
  const entries = [...latest].filter(([file]) => patterns.some((p) => p.test(file)));
  if (entries.length === 0) {
    console.log(`| ${module} | | not run | | | | | | | |`);
    continue;
  }
  const count = Object.fromEntries(
    ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'RuntimeError', 'CompileError', 'Ignored'].map((s) => [
      s,
      0,
    ]),
  );
  for (const [file, { result }] of entries) {
    for (const mutant of result.mutants) {
      count[mutant.status] = (count[mutant.status] ?? 0) + 1;
      if (mutant.status === 'Survived' || mutant.status === 'NoCoverage') {
        const { line, column } = mutant.location.start;
        const original = result.source.split('\n')[line - 1].trim();
        survivors.push(
          `${file}:${line}:${column} ${mutant.status} ${mutant.mutatorName}: \`${original}\` -> \`${mutant.replacement}\``,
        );
      }
    }
  }
  const valid = counted.reduce((sum, s) => sum + count[s], 0);
  const detected = count.Killed + count.Timeout;
  const score = valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)}%`;
  const total = Object.values(count).reduce((a, b) => a + b, 0);
  console.log(
    `| ${module} | ${entries.length} | ${total} | ${count.Killed} | ${count.Timeout} | ${count.Survived} | ${count.NoCoverage} | ${count.RuntimeError + count.CompileError} | ${count.Ignored} | ${score} |`,
  );
}
if (process.argv.includes('--survivors')) {
  console.log('');
  for (const line of survivors) console.log(line);
}
