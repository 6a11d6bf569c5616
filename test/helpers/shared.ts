/**
 * Access to ../shared (real images, OSV data, package DBs, GitHub contracts). In CI a missing corpus is a
 * failure, never a skip; elsewhere tests that need it skip with a visible message.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHARED = process.env.SCANROOK_SHARED ?? resolve(REPO_ROOT, '..', 'shared');

export function sharedPath(...parts: string[]): string {
  return join(SHARED, ...parts);
}

/** True when the shared corpus is here. In CI its absence throws (fails the suite) instead of skipping. */
export function haveShared(): boolean {
  const ok = existsSync(join(SHARED, 'images')) && existsSync(join(SHARED, 'data'));
  if (!ok && process.env.CI) throw new Error(`../shared is missing at ${SHARED}: CI must have it`);
  if (!ok) console.warn(`SKIPPING tests that need ../shared (not found at ${SHARED})`);
  return ok;
}
