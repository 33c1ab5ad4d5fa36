import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** A directed import graph: file -> files it imports (paths relative to the root, forward slashes). */
export type ImportGraph = Map<string, Set<string>>;

/** One import that breaks the layering rules. */
export type LayerViolation = { from: string; to: string; fromLayer: number; toLayer: number };

const EXCLUDED = /\.(spec|spec-helper|e2e-spec)\.ts$/;
const RELATIVE = /^\.\.?(\/|$)/;

/** Lists the `.ts` files under `root` (relative, forward slashes, sorted), without tests and spec helpers. */
export function listSourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), relPath);
      else if (entry.isFile() && entry.name.endsWith('.ts') && !EXCLUDED.test(entry.name)) out.push(relPath);
    }
  };
  walk(root, '');
  return out.sort();
}

/**
 * Resolves a relative specifier written in `fromFile` to one of `files`
 * (`./x` -> `x.ts` or `x/index.ts`; `./x.js` -> `x.ts`). Package imports and unknown targets give undefined.
 */
export function resolveSpecifier(fromFile: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  if (!RELATIVE.test(specifier)) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier)).replace(/\/$/, '');
  const candidates = [`${base}.ts`, `${base}/index.ts`, base, base.replace(/\.js$/, '.ts')];
  return candidates.find((c) => files.has(c));
}

/**
 * Builds the import graph of the source tree under `root`: every listed file is a key, and its value
 * holds the files of the tree that it imports through a relative specifier, read by `ts.preProcessFile`
 * (`import`, `import type`, `export ... from`, `require()`, dynamic `import()`). A relative specifier
 * that matches no listed file is left out of the graph and passed to `onUnresolved`.
 */
export function buildImportGraph(root: string, onUnresolved?: (from: string, specifier: string) => void): ImportGraph {
  const files = listSourceFiles(root);
  const fileSet = new Set(files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const targets = new Set<string>();
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(path.join(root, file), 'utf8'), true, true);
    for (const { fileName: spec } of importedFiles) {
      const target = resolveSpecifier(file, spec, fileSet);
      if (target !== undefined) targets.add(target);
      else if (RELATIVE.test(spec)) onUnresolved?.(file, spec);
    }
    graph.set(file, targets);
  }
  return graph;
}

/** Strongly connected components of `graph` (Tarjan), each as a list of files. */
export function stronglyConnectedComponents(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) visit(w);
      if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, low.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component = stack.splice(stack.indexOf(v));
      component.forEach((w) => onStack.delete(w));
      components.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return components;
}

/** The shortest cycle through `start` whose files all lie in `members`, as a closed path, or undefined. */
function shortestCycleThrough(graph: ImportGraph, start: string, members: ReadonlySet<string>): string[] | undefined {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i];
    for (const w of [...(graph.get(v) ?? [])].sort()) {
      if (w === start) {
        const cycle = [start];
        for (let u = v; u !== start; u = parent.get(u)!) cycle.splice(1, 0, u);
        return [...cycle, start];
      }
      if (members.has(w) && !parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return undefined;
}

/**
 * Import cycles of `graph`, as closed paths (`[a, b, a]`; a self-import is `[a, a]`). For every
 * non-trivial strongly connected component, the shortest cycle through each of its files is given, each
 * distinct cycle once (rotated to start at its smallest file), so every file caught in a cycle is shown.
 */
export function findCycles(graph: ImportGraph): string[][] {
  const seen = new Set<string>();
  const cycles: string[][] = [];
  for (const component of stronglyConnectedComponents(graph)) {
    const members = new Set(component);
    for (const start of component) {
      const cycle = shortestCycleThrough(graph, start, members);
      if (!cycle) continue;
      const ring = cycle.slice(0, -1);
      const first = ring.indexOf([...ring].sort()[0]);
      const rotated = [...ring.slice(first), ...ring.slice(0, first)];
      const key = rotated.join('\n');
      if (!seen.has(key)) cycles.push([...rotated, rotated[0]]);
      seen.add(key);
    }
  }
  return cycles.sort((a, b) => a.join('\n').localeCompare(b.join('\n')));
}

/** The folder that counts for layering: a file's first path segment, or `.` for a file directly in the root. */
export function topLevelFolder(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? '.' : file.slice(0, slash);
}

/**
 * Imports that break the layering: to a file of a higher layer, or to a file of the same layer in
 * another top-level folder (files directly in the root share the folder `.`). Imports within one folder
 * are always allowed; imports where either file has no layer are skipped (check those separately).
 */
export function layerViolations(graph: ImportGraph, layerOf: (file: string) => number | undefined): LayerViolation[] {
  const violations: LayerViolation[] = [];
  for (const [from, targets] of graph) {
    const fromLayer = layerOf(from);
    for (const to of targets) {
      const toLayer = layerOf(to);
      if (fromLayer === undefined || toLayer === undefined || topLevelFolder(from) === topLevelFolder(to)) continue;
      if (toLayer >= fromLayer) violations.push({ from, to, fromLayer, toLayer });
    }
  }
  return violations.sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}
