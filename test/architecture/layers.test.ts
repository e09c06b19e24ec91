import { join } from 'node:path';
import { importCycles, importGraph, layerOf, layerViolations, srcDir } from '../../scripts/layers';

const at = (rel: string): string => join(srcDir, rel);

describe('the layers of src/', () => {
  const graph = importGraph();

  it('has no import cycle', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('imports only downwards, as the layout table says', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it('reads the imports of every file, type-only imports and re-exports included', () => {
    expect(graph.get(at('consumer/types.ts'))).toContain(at('consumer/membership/membership-phase.ts'));
    expect(graph.get(at('producer/index.ts'))).toContain(at('producer/producer.ts'));
    expect(graph.size).toBeGreaterThan(200);
  });
});

describe('the layer check', () => {
  it('finds a cycle of two files and one of three, not the files beside them', () => {
    const graph = new Map([
      [at('consumer/a.ts'), [at('consumer/b.ts')]],
      [at('consumer/b.ts'), [at('consumer/a.ts'), at('consumer/c.ts')]],
      [at('producer/x.ts'), [at('producer/y.ts')]],
      [at('producer/y.ts'), [at('producer/z.ts')]],
      [at('producer/z.ts'), [at('producer/x.ts')]],
      [at('consumer/c.ts'), []],
    ]);
    expect(importCycles(graph)).toEqual([
      [at('consumer/a.ts'), at('consumer/b.ts')],
      [at('producer/x.ts'), at('producer/y.ts'), at('producer/z.ts')],
    ]);
  });

  it('reports an import upwards and one between sibling layers', () => {
    const graph = new Map([
      [at('protocol/codec.ts'), [at('transport/transport.ts')]],
      [at('producer/producer.ts'), [at('consumer/consumer.ts'), at('cluster/cluster.ts')]],
      [at('transport/transport.ts'), []],
      [at('consumer/consumer.ts'), []],
      [at('cluster/cluster.ts'), []],
    ]);
    expect(layerViolations(graph)).toEqual([
      'src/producer/producer.ts (producer/) -> src/consumer/consumer.ts (consumer/)',
      'src/protocol/codec.ts (protocol/) -> src/transport/transport.ts (transport/)',
    ]);
  });

  it('lets the command line reach a layer only through its index.ts', () => {
    const graph = new Map([
      [at('cli/consume.ts'), [at('consumer/index.ts'), at('time/clock.ts')]],
      [at('consumer/index.ts'), []],
      [at('time/clock.ts'), []],
    ]);
    expect(layerViolations(graph)).toEqual(['src/cli/consume.ts (cli/) -> src/time/clock.ts (time/)']);
  });

  it('places a file in the most specific layer', () => {
    expect(layerOf(at('protocol/records/crc32c.ts'))).toBe('protocol/records/');
    expect(layerOf(at('protocol/compiler.ts'))).toBe('protocol/');
    expect(layerOf(at('index.ts'))).toBe('index.ts');
    expect(() => layerOf(at('unknown.ts'))).toThrow(/belongs to no layer/);
  });
});
