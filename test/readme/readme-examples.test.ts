import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReadme } from '../../scripts/readme-examples';

// Every TypeScript example in the README is a region of a file under examples/, and those files
// are run by the tests (test/examples). So an example that stops working fails the suite.
describe('README examples', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

  it('are the regions of examples/ they name, to the letter', () => {
    const { text, examples } = renderReadme(readme);
    expect(examples.length).toBeGreaterThan(0);
    expect(text).toBe(readme);
  });

  const marked = (line: string | undefined) => /^<!-- (example: \S+|types) -->$/.test(line ?? '');

  it('leave no TypeScript block in the README that does not come from examples/', () => {
    const lines = readme.split('\n');
    const unmarked = lines
      .map((line, i) => ({ line, i }))
      // The marker is the line before the block, or the one before that blank line (as Prettier writes it).
      .filter(({ line, i }) => line === '```ts' && !marked(lines[i - 1] === '' ? lines[i - 2] : lines[i - 1]))
      .map(({ i }) => i + 1);
    expect(unmarked).toEqual([]);
  });
});
