#!/usr/bin/env node
/**
 * Inventory micro-benchmark: bundles bench/inventory-driver.ts (TypeScript, importing the product code from
 * src/) with rolldown (installed with vitest) into node_modules/.cache/scanrook-bench/, then runs it there,
 * so sql.js resolves from the project's node_modules exactly as in the tests.
 *
 *   node bench/inventory.mjs            # BENCH_RUNS=50 warm calls each; SCANROOK_SHARED=../shared
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { bundleDriver, REPO as repo } from './lib/bundle-driver.mjs';

const out = bundleDriver('inventory-driver');
execFileSync(process.execPath, [out], {
  stdio: 'inherit',
  cwd: repo,
  env: { ...process.env, SCANROOK_SHARED: process.env.SCANROOK_SHARED ?? join(repo, '..', 'shared') },
});
