/**
 * The dependency rules of src/ (test/structure/rules.ts) hold on the real tree, and each rule fires on a
 * planted violation (so a broken rule cannot pass silently).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared.js';
import type { ImportEdge } from './graph.js';
import { importEdges, srcFiles } from './graph.js';
import {
  actionsImportViolations,
  cycleViolations,
  githubViolations,
  layerViolations,
  reportPurityViolations,
  sourceReader,
} from './rules.js';

const SRC = join(REPO_ROOT, 'src');
const edges = importEdges(SRC);
const files = srcFiles(SRC);
const read = sourceReader(SRC);

describe('the floor plan of src/', () => {
  it('reads the real graph (static, type-only and dynamic imports)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.some((e) => e.from === 'cli.ts' && !e.external)).toBe(true);
    // src/cli.ts loads the scan engine with import(): dynamic imports are edges too.
    expect(edges.some((e) => e.from === 'cli.ts' && e.to.startsWith('scan/'))).toBe(true);
  });
  it('has no import circles', () => {
    expect(cycleViolations(edges)).toEqual([]);
  });
  it('points every dependency down the layer table; model/ imports nothing above util/', () => {
    expect(layerViolations(edges)).toEqual([]);
  });
  it('imports @actions/* only in src/action/', () => {
    expect(actionsImportViolations(edges)).toEqual([]);
  });
  it('talks to GitHub only in src/github/', () => {
    expect(githubViolations(edges, files, read)).toEqual([]);
  });
  it('keeps src/report/ free of I/O', () => {
    expect(reportPurityViolations(edges, read)).toEqual([]);
  });
});

describe('each rule fires on a planted violation', () => {
  const e = (from: string, to: string, external = false): ImportEdge => ({ from, to, external, line: 1 });
  it('circles', () => {
    expect(
      cycleViolations([e('scan/a.ts', 'scan/b.ts'), e('scan/b.ts', 'scan/c.ts'), e('scan/c.ts', 'scan/a.ts')]),
    ).toEqual(['import circle through scan/a.ts, scan/b.ts, scan/c.ts']);
    expect(cycleViolations([e('scan/a.ts', 'scan/b.ts'), e('scan/b.ts', 'model/c.ts')])).toEqual([]);
  });
  it('upward imports, peers, unplaced folders', () => {
    expect(layerViolations([e('model/report.ts', 'scan/job.ts')])).toEqual([
      'model/report.ts:1 imports scan/job.ts: model/ may not import scan/, which sits above it',
    ]);
    expect(layerViolations([e('image/read.ts', 'inventory/types.ts')])).toHaveLength(1);
    expect(layerViolations([e('cli.ts', 'action/run.ts')])).toEqual([
      'cli.ts:1 imports action/run.ts: cli/ and action/ are peers and may not import each other',
    ]);
    expect(layerViolations([e('scan/run.ts', 'model/report.ts'), e('action/run.ts', 'util/logger.ts')])).toEqual([]);
    expect(layerViolations([e('newthing/x.ts', 'util/logger.ts')])).toEqual([
      'src/newthing is in no row of the layer table (test/structure/rules.ts): place it',
    ]);
  });
  it('@actions/* outside src/action/', () => {
    expect(actionsImportViolations([e('vulndb/cache.ts', '@actions/cache', true)])).toHaveLength(1);
    expect(actionsImportViolations([e('action/cache.ts', '@actions/cache', true)])).toEqual([]);
  });
  it('GitHub I/O outside src/github/', () => {
    const src: Record<string, string> = {
      'report/x.ts': "const p = '/repos/{owner}/{repo}/issues';",
      'github/y.ts': "const p = '/repos/{owner}/{repo}/issues';",
    };
    expect(githubViolations([], Object.keys(src), (f) => src[f]!)).toEqual([
      'report/x.ts:1 names a GitHub REST path: GitHub I/O belongs in src/github/',
    ]);
    expect(githubViolations([e('scan/z.ts', 'github/y.ts')], [], () => '')).toHaveLength(1);
  });
  it('I/O in src/report/', () => {
    const src: Record<string, string> = { 'report/a.ts': 'export const a = 1;', 'report/b.ts': '\nawait fetch(url);' };
    expect(
      reportPurityViolations(
        [
          e('report/a.ts', 'node:fs', true),
          e('report/a.ts', 'node:crypto', true),
          e('report/b.ts', 'model/report.ts'),
          e('report/b.ts', 'vulndb/store.ts'),
        ],
        (f) => src[f]!,
      ),
    ).toEqual([
      'report/a.ts:1 imports node:fs: src/report/ holds pure functions (no I/O)',
      'report/b.ts:1 imports vulndb/store.ts: src/report/ renders a report, it does not read images, DBs or GitHub',
      'report/b.ts:2 calls fetch(): src/report/ holds pure functions (no I/O)',
    ]);
  });
});
