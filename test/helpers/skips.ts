/**
 * Skips for a missing test prerequisite (an oracle tool, the ../shared corpus), said once per run: each test
 * file notes here what it lacks; the skip reporter (test/helpers/skip-reporter.ts) ends the run with one line
 * per missing prerequisite, e.g. `skip: rpm is missing (apt-get install rpm): 16 skipped tests in 4 files: …`.
 * With CI set a missing prerequisite is never a skip: it throws, failing the file. A unit-tier file (SCANROOK_TEST_TIER=unit)
 * may need nothing: asking throws, naming the tier the file belongs to.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where the test files write their notes (set by test/vitest.config.ts for the reporter). */
export const SKIP_DIR_ENV = 'SCANROOK_SKIP_DIR';
export const SKIP_LOG = 'skips.jsonl';

/** One missing prerequisite: `what` names it, `hint` says how to get it. */
export interface SkipNote {
  key: string;
  what: string;
  hint: string;
  file: string;
}

const warned = new Set<string>();

/** The test file now running in this worker (vitest's worker state; 'unknown' outside a test file). */
export function currentTestFile(): string {
  const w = (globalThis as { __vitest_worker__?: { filepath?: string; current?: { file?: { filepath?: string } } } })
    .__vitest_worker__;
  return w?.filepath ?? w?.current?.file?.filepath ?? 'unknown';
}

/**
 * A unit-tier file asked for `what`: that is a misfiled test, not a skip. Throws (the file fails) naming the
 * tier that `what` puts a file in.
 */
export function refuseInUnitTier(what: string, tier: string): void {
  if (process.env.SCANROOK_TEST_TIER === 'unit') {
    throw new Error(
      `${currentTestFile()} is in the unit tier but needs ${what}: list it in the ${tier} tier (test/tiers.ts)`,
    );
  }
}

/**
 * `what` is missing. In CI: throws. Elsewhere: notes it for the end-of-run line (`noteSkip`), and the caller
 * skips.
 */
export function missing(key: string, what: string, hint: string): void {
  if (process.env.CI)
    throw new Error(
      `${what} is missing (${hint}): with CI set that fails, it is not skipped (.ci/run installs every oracle)`,
    );
  noteSkip(key, what, hint);
}

/**
 * Notes a skip for the end-of-run line (or, without the reporter, warns once per process). For opt-in
 * suites (the real Docker engine tests, which .ci/docker-tests.sh runs) this is the whole story, CI or not.
 */
export function noteSkip(key: string, what: string, hint: string): void {
  const dir = process.env[SKIP_DIR_ENV];
  const note: SkipNote = { key, what, hint, file: currentTestFile() };
  if (dir) {
    mkdirSync(dir, { recursive: true }); // (a watch-mode rerun comes after the reporter removed it)
    appendFileSync(join(dir, SKIP_LOG), JSON.stringify(note) + '\n');
  } else if (!warned.has(key)) {
    warned.add(key);
    console.warn(`skip: ${what} is missing (${hint}): the tests that need it are skipped`);
  }
}
