#!/usr/bin/env node
/**
 * Inventory micro-benchmark: bundles bench/inventory-driver.ts (TypeScript, importing the product code from
 * src/) with rolldown (installed with vitest) into node_modules/.cache/scanrook-bench/, then runs it there,
 * so sql.js resolves from the project's node_modules exactly as in the tests.
 *
 *   node bench/inventory.mjs            # BENCH_RUNS=50 warm calls each; SCANROOK_SHARED=../shared
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(repo, 'node_modules', '.cache', 'scanrook-bench');
mkdirSync(outDir, { recursive: true });
const out = join(outDir, 'inventory-driver.mjs');
execFileSync(
  join(repo, 'node_modules', '.bin', 'rolldown'),
  [join(repo, 'bench', 'inventory-driver.ts'), '--platform', 'node', '--format', 'esm', '--external', 'sql.js', '-o', out],
  { stdio: ['ignore', 'ignore', 'inherit'], cwd: repo },
);
execFileSync(process.execPath, [out], {
  stdio: 'inherit',
  cwd: repo,
  env: { ...process.env, SCANROOK_SHARED: process.env.SCANROOK_SHARED ?? join(repo, '..', 'shared') },
});
