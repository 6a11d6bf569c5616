/**
 * The test suite as vitest projects, one per tier (test/tiers.ts): `npm test` runs them all, `npm run
 * test:<tier>` one. Every file is in exactly one tier (each excludes the files of the tiers before it; unit
 * takes what is left). The skip reporter ends a run with one line per missing oracle or corpus.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';
import { SKIP_DIR_ENV } from './helpers/skips.js';
import { TIERS } from './tiers.js';

const ALL = 'test/**/*.test.ts';

// The folder the test workers note missing prerequisites in, for the skip reporter (workers inherit it).
process.env[SKIP_DIR_ENV] ??= mkdtempSync(join(tmpdir(), 'scanrook-skips-'));

const tiers = Object.entries(TIERS);
const tierProject = (name: string, include: string[], before: string[], env: Record<string, string> = {}) => ({
  extends: true as const,
  test: { name, include, exclude: [...configDefaults.exclude, ...before], env },
});

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    setupFiles: ['test/helpers/fc-seed.ts'],
    reporters: ['default', new URL('./helpers/skip-reporter.ts', import.meta.url).pathname],
    projects: [
      ...tiers.map(([name, include], i) =>
        tierProject(
          name,
          include,
          tiers.slice(0, i).flatMap(([, globs]) => globs),
        ),
      ),
      tierProject(
        'unit',
        [ALL],
        tiers.flatMap(([, globs]) => globs),
        { SCANROOK_TEST_TIER: 'unit' },
      ),
    ],
  },
});
