/**
 * The CLI and the action run from the TypeScript source (not dist/), as processes, through the one source
 * runner of the tests (test/util/src-entry.ts: the Node 24 binary of the `node` devDependency with its type
 * stripping and the resolve hooks of src-entry-hooks.mjs). What a user sees (stdout, stderr, exit code, files)
 * is the same as from the bundle the lead builds from this source.
 */
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/shared.js';
import { type EntryRun, runSrcEntry, SRC_ENTRY_ARGS } from '../util/src-entry.js';

/** argv for runAction (run-action.ts): the action's entry point from source. */
export const ACTION_SOURCE_ARGV = [...SRC_ENTRY_ARGS, join(REPO_ROOT, 'src/action/main.ts')];

export type CliRun = EntryRun;

/** `scanrook <args>` from source, in `cwd`, with HOME there (no cache of the user's). */
export function runCliSource(args: readonly string[], cwd: string, timeoutMs = 120_000): Promise<CliRun> {
  return runSrcEntry('src/cli.ts', args, { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd }, ms: timeoutMs });
}
