/**
 * Helpers of the lockfile analyzers' tests: run an analyzer over a one-layer view of real files, the
 * fixtures folder, and small oracles (python3 with tomllib / json / PyYAML / packaging, which are independent
 * parsers of the formats).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Analyzer } from '../../../src/inventory/types.js';
import type { Package } from '../../../src/model/report.js';
import { REPO_ROOT } from '../../helpers/shared.js';
import { ctxOf } from '../lang/helpers.js';
import { memView, viewOf } from '../os/release-view.js';

export const FIX = join(REPO_ROOT, 'test', 'fixtures', 'inventory', 'lock');
export const TRIVY = join(FIX, 'trivy');

export function fixture(...parts: string[]): Buffer {
  return readFileSync(join(TRIVY, ...parts));
}

export async function runOn(analyzer: Analyzer, ...files: [string, Buffer | string][]) {
  const ctx = ctxOf(viewOf(...files), { mode: 'deep' });
  const result = await analyzer.analyze(ctx);
  return { ...result, logs: ctx.logger.lines };
}

export async function runLayers(analyzer: Analyzer, layers: Map<string, Buffer | null | undefined>[]) {
  const ctx = ctxOf(memView(layers), { mode: 'deep' });
  return analyzer.analyze(ctx);
}

/** name@version, sorted. */
export function nv(pkgs: Package[]): string[] {
  return pkgs.map((p) => `${p.name}@${p.version}`).sort();
}

/** Runs a python3 script with a file argument and returns its stdout lines, sorted. */
export function py(script: string, ...args: string[]): string[] {
  const out = execFileSync('python3', ['-c', script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.split('\n').filter(Boolean).sort();
}

export function uniq(xs: string[]): string[] {
  return [...new Set(xs)].sort();
}
