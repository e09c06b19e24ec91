/**
 * Compiles src/, what every runner shares (bench/runner/) and a folder of runners to CommonJS
 * under .cache/<name>/, keeping the tree, so that a runner's process holds no TypeScript compiler
 * (its memory is measured).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { transformFileSync } from '@swc/core';

const ROOT = join(__dirname, '..');

/** Returns the output folder: `<out>/bench/<runners>/<runner>.js` is a runner. */
export function compileRunners(cacheName: string, runnersDir: string): string {
  const out = join(ROOT, '.cache', cacheName);
  rmSync(out, { recursive: true, force: true });
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? walk(join(dir, e.name))
        : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')
          ? [join(dir, e.name)]
          : [],
    );
  const sources = [join(ROOT, 'src'), join(ROOT, 'bench', 'runner'), join(ROOT, 'bench', runnersDir)];
  for (const file of sources.flatMap(walk)) {
    const target = join(out, relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    try {
      const { code } = transformFileSync(file, {
        module: { type: 'commonjs' },
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      });
      writeFileSync(target, code);
    } catch (error) {
      // A file being edited may not parse: leave it out, and the runner that needs it fails clearly.
      console.error(
        `skipped ${relative(ROOT, file)}: ${error instanceof Error ? error.message.split('\n')[0] : error}`,
      );
    }
  }
  return out;
}
