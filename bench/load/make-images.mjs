#!/usr/bin/env node
/**
 * Bundles bench/load/make-images-driver.ts (which uses test/load/images.ts, the load tests' own image builder)
 * with rolldown into node_modules/.cache/scanrook-bench/ and runs it: `node bench/load/make-images.mjs OUTDIR`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(repo, 'node_modules', '.cache', 'scanrook-bench');
mkdirSync(outDir, { recursive: true });
const bundle = join(outDir, 'load-make-images.mjs');
execFileSync(
  join(repo, 'node_modules', '.bin', 'rolldown'),
  [join(repo, 'bench', 'load', 'make-images-driver.ts'), '--platform', 'node', '--format', 'esm', '-o', bundle],
  { stdio: ['ignore', 'ignore', 'inherit'], cwd: repo },
);
execFileSync(process.execPath, [bundle, ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: repo,
  env: { ...process.env, SCANROOK_SHARED: process.env.SCANROOK_SHARED ?? join(repo, '..', 'shared') },
});
