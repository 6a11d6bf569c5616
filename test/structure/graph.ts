/**
 * The import graph of src/: every file's static imports, `import type`s, re-exports and dynamic `import()`s,
 * resolved to files (relative specifiers) or kept as package names (bare specifiers). Read with TypeScript's
 * own pre-processor, so what counts as an import is what the compiler sees.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** Importing file, relative to src/ (`scan/run.ts`). */
  from: string;
  /** Imported file relative to src/ (`model/report.ts`), or a package name (`@actions/core`, `node:fs`). */
  to: string;
  /** True for a package (bare specifier), false for a file of ours. */
  external: boolean;
  line: number;
}

export function srcFiles(root: string): string[] {
  return readdirSync(root, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.split('\\').join('/'))
    .sort();
}

export function importEdges(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const from of srcFiles(root)) {
    const text = readFileSync(join(root, from), 'utf8');
    const info = ts.preProcessFile(text, true, true);
    for (const ref of info.importedFiles) {
      const spec = ref.fileName;
      const line = text.slice(0, ref.pos).split('\n').length;
      if (!spec.startsWith('.')) {
        edges.push({ from, to: spec, external: true, line });
        continue;
      }
      const to = relative(root, resolve(dirname(join(root, from)), spec))
        .split('\\')
        .join('/')
        .replace(/\.js$/, '.ts');
      edges.push({ from, to, external: false, line });
    }
  }
  return edges;
}

/** Elementary cycles' representatives: each strongly connected component with more than one file (Tarjan). */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (e.external) continue;
    if (!next.has(e.from)) next.set(e.from, []);
    next.get(e.from)!.push(e.to);
  }
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (next.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}
