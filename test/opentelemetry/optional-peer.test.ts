import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// OpenTelemetry is optional: only kafka-rx/opentelemetry imports it, and it is an optional peer.
describe('@opentelemetry/api as an optional peer', () => {
  const root = join(__dirname, '..', '..');
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') ? [path] : [];
    });

  it('is imported by src/opentelemetry/ alone', () => {
    const importers = files(join(root, 'src'))
      .filter((file) => /from '@opentelemetry\//.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file).split('\\').join('/'));
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((file) => !file.startsWith('src/opentelemetry/'))).toEqual([]);
  });

  it('is an optional peer dependency, and kafka-rx/opentelemetry a subpath export', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.peerDependencies['@opentelemetry/api']).toBeDefined();
    expect(pkg.peerDependenciesMeta['@opentelemetry/api']).toEqual({ optional: true });
    expect(pkg.dependencies['@opentelemetry/api']).toBeUndefined();
    expect(pkg.exports['./opentelemetry']).toEqual({
      types: './dist/opentelemetry/index.d.ts',
      default: './dist/opentelemetry/index.js',
    });
  });
});
