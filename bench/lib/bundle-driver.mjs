/**
 * Bundles a TypeScript bench driver (bench/<name>.ts, importing the product code from src/) with rolldown
 * (installed with vitest) into node_modules/.cache/scanrook-bench/<name>.mjs, so sql.js resolves from the
 * project's node_modules exactly as in the tests. Returns the bundle's path.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function bundleDriver(name) {
  const outDir = join(REPO, 'node_modules', '.cache', 'scanrook-bench');
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `${name}.mjs`);
  execFileSync(
    join(REPO, 'node_modules', '.bin', 'rolldown'),
    [join(REPO, 'bench', `${name}.ts`), '--platform', 'node', '--format', 'esm', '--external', 'sql.js', '-o', out],
    { stdio: ['ignore', 'ignore', 'inherit'], cwd: REPO },
  );
  return out;
}
