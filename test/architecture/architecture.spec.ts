import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildImportGraph, findCycles, ImportGraph, layerViolations, LayerViolation } from './import-graph';
import { layerOf } from './layers';

const LIB_SRC = path.resolve(__dirname, '../../libs/event-bus/src');

/** Fails with one line per problem, so the message itself is the to-do list. */
function expectNone(title: string, problems: string[]): void {
  if (problems.length > 0) throw new Error(`${title} (${problems.length}):\n  ${problems.join('\n  ')}`);
}

const formatCycle = (cycle: string[]): string => cycle.join(' -> ');
const formatViolation = (v: LayerViolation): string => `${v.from} -> ${v.to} (layer ${v.fromLayer} -> ${v.toLayer})`;

/** Every path from `start` to a file matching `target`, one shortest path per reached file (BFS). */
function pathsTo(graph: ImportGraph, start: string, target: (file: string) => boolean): string[][] {
  const parent = new Map<string, string | undefined>([[start, undefined]]);
  const queue = [start];
  const found: string[][] = [];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i];
    if (v !== start && target(v)) {
      const route = [v];
      for (let u = parent.get(v); u !== undefined; u = parent.get(u)) route.unshift(u);
      found.push(route);
      continue;
    }
    for (const w of [...(graph.get(v) ?? [])].sort()) {
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return found;
}

describe('libs/event-bus/src import graph', () => {
  let graph: ImportGraph;
  const unresolved: string[] = [];
  beforeAll(() => {
    graph = buildImportGraph(LIB_SRC, (from, specifier) => unresolved.push(`${from}: '${specifier}'`));
  });

  it('finds the library sources', () => {
    expect(graph.size).toBeGreaterThan(0);
    expect(graph.has('index.ts')).toBe(true);
  });

  it('(a) has no import cycles', () => {
    expectNone('Import cycles', findCycles(graph).map(formatCycle));
  });

  it('(b) has no layer violations', () => {
    expectNone('Layer violations', layerViolations(graph, layerOf).map(formatViolation));
  });

  it('(c) gives every file a layer (add new folders to test/architecture/layers.ts)', () => {
    expectNone(
      'Files without a layer',
      [...graph.keys()].filter((file) => layerOf(file) === undefined),
    );
  });

  it('resolves every relative import to a file (an unresolved one would hide its edge from (a) and (b))', () => {
    expectNone('Relative imports that resolve to no source file', unresolved);
  });

  it('(d) index.ts does not import anything from testing/, directly or transitively', () => {
    expectNone('index.ts reaches testing/', pathsTo(graph, 'index.ts', (file) => file.startsWith('testing/')).map(formatCycle));
  });
});

describe('import-graph on synthetic trees', () => {
  const dirs: string[] = [];
  const tree = (files: Record<string, string>): string => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'import-graph-'));
    dirs.push(root);
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    return root;
  };
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  const ranks: Record<string, number> = { low: 0, mid: 1, side: 1, high: 2, 'root.ts': 2 };
  const rank = (file: string): number | undefined => ranks[file.split('/')[0]];

  it('resolves ./x to x.ts and x/index.ts, keeps packages out, skips test files, reports the unresolved', () => {
    const unresolved: string[] = [];
    const graph = buildImportGraph(
      tree({
        'a.ts': "import { b } from './b';\nimport { c } from './c';\nimport { Injectable } from '@nestjs/common';",
        'b.ts': "export * from './c/deep';\nexport const b = 1;",
        'c/index.ts': "export { d } from '../d';",
        'c/deep.ts': 'export const deep = 1;',
        'd.ts': "export const d = require('./b');",
        'a.spec.ts': "import { a } from './a';",
        'c/x.spec-helper.ts': "import { a } from '../a';",
        'e.e2e-spec.ts': "import { a } from './a';",
        'f.ts': "import { gone } from './gone';\nimport { up } from '../outside';",
      }),
      (from, specifier) => unresolved.push(`${from}: ${specifier}`),
    );
    expect(unresolved).toEqual(['f.ts: ./gone', 'f.ts: ../outside']);
    expect(Object.fromEntries([...graph].map(([k, v]) => [k, [...v].sort()]))).toEqual({
      'a.ts': ['b.ts', 'c/index.ts'],
      'b.ts': ['c/deep.ts'],
      'c/deep.ts': [],
      'c/index.ts': ['d.ts'],
      'd.ts': ['b.ts'],
      'f.ts': [],
    });
  });

  it('finds a cycle, once, as a closed path starting at its smallest file', () => {
    const graph = buildImportGraph(
      tree({
        'a.ts': "import { b } from './x/b';",
        'x/b.ts': "import { c } from '../c';",
        'c.ts': "import { a } from './a';\nimport { d } from './d';",
        'd.ts': 'export const d = 1;',
        'self.ts': "import { self } from './self';",
      }),
    );
    expect(findCycles(graph)).toEqual([
      ['a.ts', 'x/b.ts', 'c.ts', 'a.ts'],
      ['self.ts', 'self.ts'],
    ]);
  });

  it('shows every file of a tangle in some cycle', () => {
    const graph: ImportGraph = new Map([
      ['a.ts', new Set(['b.ts', 'c.ts'])],
      ['b.ts', new Set(['a.ts'])],
      ['c.ts', new Set(['a.ts'])],
    ]);
    expect(findCycles(graph).map(formatCycle)).toEqual(['a.ts -> b.ts -> a.ts', 'a.ts -> c.ts -> a.ts']);
  });

  it('finds no cycle in a clean tree', () => {
    const graph = buildImportGraph(
      tree({
        'a.ts': "import { b } from './b';\nimport { c } from './c';",
        'b.ts': "import { c } from './c';",
        'c.ts': 'export const c = 1;',
      }),
    );
    expect(findCycles(graph)).toEqual([]);
  });

  it('counts type-only imports and re-exports as edges', () => {
    const graph = buildImportGraph(
      tree({
        'a.ts': "import type { B } from './b';\nexport type A = B;",
        'b.ts': "export type { A } from './a';\nexport interface B { x: number }",
      }),
    );
    expect(findCycles(graph).map(formatCycle)).toEqual(['a.ts -> b.ts -> a.ts']);
  });

  it('reports upward and same-rank cross-folder imports as layer violations', () => {
    const graph = buildImportGraph(
      tree({
        'low/l.ts': "import { m } from '../mid/m';",
        'mid/m.ts': "import { s } from '../side/s';\nimport { l } from '../low/l';",
        'side/s.ts': 'export const s = 1;',
        'high/h.ts': "import type { M } from '../mid/m';",
      }),
    );
    expect(layerViolations(graph, rank)).toEqual([
      { from: 'low/l.ts', to: 'mid/m.ts', fromLayer: 0, toLayer: 1 },
      { from: 'mid/m.ts', to: 'side/s.ts', fromLayer: 1, toLayer: 1 },
    ]);
  });

  it('allows imports within one folder, whatever the files rank, and skips unranked files', () => {
    const graph = buildImportGraph(
      tree({
        'mid/a.ts': "import { b } from './deeper/b';",
        'mid/deeper/b.ts': "import { a } from '../a';",
        'root.ts': "import { other } from './other';\nimport { a } from './mid/a';",
        'other.ts': "import { root } from './root';\nimport { u } from './unranked/u';",
        'unranked/u.ts': "import { a } from '../mid/a';",
      }),
    );
    expect(layerViolations(graph, (file) => (file.startsWith('unranked/') ? undefined : (rank(file) ?? 2)))).toEqual([]);
  });
});
