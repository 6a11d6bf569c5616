/**
 * Access to ../shared (real images, OSV data, package DBs, GitHub contracts). In CI a missing corpus is a
 * failure, never a skip; elsewhere tests that need it skip, and the run ends with one line saying so
 * (test/helpers/skips.ts). A unit-tier file may not read it.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { missing, refuseInUnitTier } from './skips.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED = process.env.SCANROOK_SHARED ?? resolve(REPO_ROOT, '..', 'shared');

export function sharedPath(...parts: string[]): string {
  return join(SHARED, ...parts);
}

/** True when the shared corpus is here. In CI its absence throws (fails the suite) instead of skipping. */
export function haveShared(): boolean {
  refuseInUnitTier('../shared', 'corpus');
  const ok = existsSync(join(SHARED, 'images')) && existsSync(join(SHARED, 'data'));
  if (!ok)
    missing(
      'shared',
      `the ../shared corpus (not found at ${SHARED})`,
      'put it beside the repository or set SCANROOK_SHARED',
    );
  return ok;
}
