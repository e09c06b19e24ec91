// Checks the import graph of src/: no import cycles, and each layer imports only the layers
// below it (the layout table of README.md and ARCHITECTURE.md). Type-only imports count too: a
// cycle through types still ties two files together.
//
//   node --require ./bench/register.js scripts/layers.ts   # prints every violation, exit 1 if any
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const root = join(__dirname, '..');
export const srcDir = join(root, 'src');

/** What the client roles (consumer, admin, producer) and the layers above them build on. */
const clientBase: readonly string[] = [
  'cluster/',
  'transport/',
  'protocol/',
  'protocol/records/',
  'time/',
  'diagnostics/',
  'config/',
  'errors.ts',
  'eager.ts',
  'outcome.ts',
];

/** The client roles, which do not import one another. */
const clients: readonly string[] = ['consumer/', 'admin/', 'producer/'];

/**
 * The layers of src/, lowest first, and the layers each may import (besides itself). A file
 * belongs to the longest matching prefix. Files directly in src/ (index.ts, errors.ts, eager.ts, outcome.ts)
 * are the `root` layer.
 */
export const layerRules: Readonly<Record<string, readonly string[]>> = {
  'errors.ts': [],
  'eager.ts': [],
  'outcome.ts': [],
  'types/': [],
  'time/': [],
  'diagnostics/': [],
  'config/': ['errors.ts'],
  'serde/': ['errors.ts'],
  'protocol/': ['errors.ts'],
  'protocol/records/': ['protocol/', 'errors.ts'],
  'transport/': ['protocol/', 'protocol/records/', 'time/', 'config/', 'errors.ts', 'diagnostics/'],
  'cluster/': ['transport/', 'protocol/', 'protocol/records/', 'time/', 'config/', 'errors.ts'],
  'consumer/': ['serde/', ...clientBase],
  'admin/': clientBase,
  'producer/': ['serde/', ...clientBase],
  // Compositions of consumer and producer: retries, dead letters.
  'pipelines/': [...clients.filter((layer) => layer !== 'admin/'), 'serde/', ...clientBase],
  // clientMetrics: snapshots from the diagnostics channels (and a consumer's lag$).
  'metrics/': ['diagnostics/', 'consumer/', 'time/'],
  // kafka-rx/opentelemetry: spans from the diagnostics channels (record types only from above).
  'opentelemetry/': ['diagnostics/', 'consumer/', 'producer/'],
  'testing/': [...clients, 'serde/', ...clientBase],
  'index.ts': ['metrics/', 'pipelines/', ...clients, 'serde/', ...clientBase],
  // The command line sees only the faces of the layers (see `isFace`), and not protocol/records/.
  'cli/': [
    'index.ts',
    'testing/',
    'pipelines/',
    ...clients,
    'serde/',
    ...clientBase.filter((layer) => layer !== 'protocol/records/'),
  ],
};

/** Layers that may import another layer only through its face (the folder's index.ts). */
const facesOnly = new Set(['cli/']);

/** A layer's face: its index.ts, or a file that is a layer of its own (src/errors.ts). */
function isFace(file: string): boolean {
  const rel = relative(srcDir, file).split('\\').join('/');
  return rel.endsWith('/index.ts') || !rel.includes('/');
}

export function layerOf(file: string): string {
  const rel = relative(srcDir, file).split('\\').join('/');
  const match = Object.keys(layerRules)
    .filter((layer) => (layer.endsWith('/') ? rel.startsWith(layer) : rel === layer))
    .sort((a, b) => b.length - a.length)[0];
  if (match === undefined) throw new Error(`src/${rel} belongs to no layer of scripts/layers.ts`);
  return match;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this candidate
    }
  }
  throw new Error(`${relative(root, from)}: cannot resolve '${specifier}'`);
}

/** Every file of src/ and the files of src/ it imports or re-exports. */
export function importGraph(dir = srcDir): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(dir)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((f) => resolveImport(file, f.fileName))
      .filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The import cycles of the graph, each as the list of files around it (Tarjan's components). */
export function importCycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/** Imports that cross layers the wrong way, as `from -> to` lines relative to src/. */
export function layerViolations(graph: Map<string, string[]>): string[] {
  const violations: string[] = [];
  for (const [from, targets] of graph) {
    const fromLayer = layerOf(from);
    for (const to of targets) {
      const toLayer = layerOf(to);
      if (toLayer === fromLayer) continue;
      // A folder's index.ts may re-export the layers nested in it (protocol/ re-exports records/).
      const reexportsNested = from.endsWith('index.ts') && toLayer.startsWith(fromLayer);
      const allowed = layerRules[fromLayer].includes(toLayer) && (!facesOnly.has(fromLayer) || isFace(to));
      if (!allowed && !reexportsNested) {
        violations.push(
          `src/${relative(srcDir, from)} (${fromLayer}) -> src/${relative(srcDir, to)} (${toLayer})`,
        );
      }
    }
  }
  return violations.sort();
}

if (require.main === module) {
  const graph = importGraph();
  const cycles = importCycles(graph).map((c) => `cycle: ${c.map((f) => relative(srcDir, f)).join(' <-> ')}`);
  const violations = layerViolations(graph).map((v) => `layer: ${v}`);
  for (const line of [...cycles, ...violations]) console.log(line);
  process.exitCode = cycles.length + violations.length > 0 ? 1 : 0;
}
