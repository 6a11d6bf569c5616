/**
 * The floor plan of src/ as rules over the import graph (graph.ts): dependencies point down the layer table,
 * no import circles, only src/action/ touches @actions/*, only src/github/ talks to GitHub, src/report/ holds
 * pure functions (no I/O). Each rule returns its violations as readable lines; imports.test.ts asserts none.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportEdge } from './graph.js';
import { importCycles } from './graph.js';

/** Bottom first. A file may import its own folder or a folder of a lower row; a row may hold peers, which may not import each other. */
export const LAYERS: readonly (readonly string[])[] = [
  ['util'],
  ['model'],
  ['version'],
  ['vulndb'],
  ['image'],
  ['inventory'],
  ['yara'],
  ['match'],
  ['scan'],
  ['bin'],
  ['dockerfile'],
  ['policy'],
  ['report'],
  ['github'],
  ['settings'],
  ['docs'],
  ['action', 'cli'],
];

/** `scan/run.ts` → `scan`; `cli.ts` → `cli`. */
export const layerOf = (file: string): string =>
  file.includes('/') ? file.slice(0, file.indexOf('/')) : file.replace(/\.ts$/, '');

const rankOf = (layer: string): number => LAYERS.findIndex((row) => row.includes(layer));

export function layerViolations(edges: readonly ImportEdge[]): string[] {
  const out: string[] = [];
  const unknown = new Set<string>();
  for (const e of edges) {
    if (e.external) continue;
    const a = layerOf(e.from);
    const b = layerOf(e.to);
    for (const l of [a, b]) if (rankOf(l) < 0) unknown.add(l);
    if (a === b || rankOf(a) < 0 || rankOf(b) < 0) continue;
    if (rankOf(b) > rankOf(a))
      out.push(`${e.from}:${e.line} imports ${e.to}: ${a}/ may not import ${b}/, which sits above it`);
    else if (rankOf(b) === rankOf(a))
      out.push(`${e.from}:${e.line} imports ${e.to}: ${a}/ and ${b}/ are peers and may not import each other`);
  }
  for (const l of unknown) out.push(`src/${l} is in no row of the layer table (test/structure/rules.ts): place it`);
  return out;
}

export function cycleViolations(edges: readonly ImportEdge[]): string[] {
  return importCycles(edges).map((c) => `import circle through ${c.join(', ')}`);
}

export function actionsImportViolations(edges: readonly ImportEdge[]): string[] {
  return edges
    .filter((e) => e.external && e.to.startsWith('@actions/') && layerOf(e.from) !== 'action')
    .map((e) => `${e.from}:${e.line} imports ${e.to}: only src/action/ may import @actions/*`);
}

/** Builtins that do I/O (or start processes and threads). Hashing and compression are computation. */
const IO_MODULES = new Set([
  'fs',
  'fs/promises',
  'net',
  'http',
  'https',
  'http2',
  'child_process',
  'worker_threads',
  'dgram',
  'dns',
  'tls',
  'readline',
  'cluster',
]);
const isIoModule = (spec: string): boolean => IO_MODULES.has(spec.replace(/^node:/, ''));

/** Layers that do I/O of their own (image reading, the DB, GitHub). */
const READERS = new Set(['image', 'vulndb', 'github']);

/** src/report/: pure functions of the report. No I/O module, no reader, DB or GitHub code, no fetch. */
export function reportPurityViolations(edges: readonly ImportEdge[], readSource: (file: string) => string): string[] {
  const out: string[] = [];
  const files = new Set<string>();
  for (const e of edges) {
    if (layerOf(e.from) !== 'report') continue;
    files.add(e.from);
    if (e.external && isIoModule(e.to))
      out.push(`${e.from}:${e.line} imports ${e.to}: src/report/ holds pure functions (no I/O)`);
    if (e.external && e.to.startsWith('@octokit/'))
      out.push(`${e.from}:${e.line} imports ${e.to}: GitHub I/O belongs in src/github/`);
    if (!e.external && READERS.has(layerOf(e.to)))
      out.push(
        `${e.from}:${e.line} imports ${e.to}: src/report/ renders a report, it does not read images, DBs or GitHub`,
      );
  }
  for (const f of files) {
    const text = readSource(f);
    const m = /\bfetch\s*\(/.exec(text);
    if (m)
      out.push(
        `${f}:${text.slice(0, m.index).split('\n').length} calls fetch(): src/report/ holds pure functions (no I/O)`,
      );
  }
  return out;
}

/** Only src/github/ talks to GitHub: it alone holds REST paths, and only the action (which wires it) imports it. */
export function githubViolations(
  edges: readonly ImportEdge[],
  files: readonly string[],
  readSource: (file: string) => string,
): string[] {
  const out: string[] = [];
  for (const e of edges) {
    if (e.external || layerOf(e.to) !== 'github') continue;
    const from = layerOf(e.from);
    if (from !== 'github' && from !== 'action')
      out.push(`${e.from}:${e.line} imports ${e.to}: only src/action/ wires src/github/`);
  }
  for (const f of files) {
    if (layerOf(f) === 'github') continue;
    const text = readSource(f);
    const m = /['"`]\/repos\/\{?owner|\/repos\/\$\{|api\.github\.com/.exec(text);
    if (m)
      out.push(
        `${f}:${text.slice(0, m.index).split('\n').length} names a GitHub REST path: GitHub I/O belongs in src/github/`,
      );
  }
  return out;
}

export const sourceReader =
  (root: string) =>
  (file: string): string =>
    readFileSync(join(root, file), 'utf8');
