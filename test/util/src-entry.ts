/**
 * Runs a src/ entry point (src/cli.ts, src/action/main.ts) as its own process, not the bundle in dist/: the
 * Node 24 binary of the `node` devDependency with --experimental-transform-types and the resolve hooks of
 * src-entry-hooks.mjs. For tests of what the CLI and the action really print (stdout, stderr, exit code)
 * from the sources under test.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { NODE24 } from '../e2e/run-action.js';
import { REPO_ROOT } from '../helpers/shared.js';

export const SRC_ENTRY_ARGS = [
  '--no-warnings',
  '--experimental-transform-types',
  '--import',
  join(REPO_ROOT, 'test/util/src-entry-register.mjs'),
];

export interface EntryRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `entry` (relative to the repository) with `args`, in `cwd`, with exactly `env`; kills it after `ms`. */
export async function runSrcEntry(
  entry: string,
  args: readonly string[],
  opts: { cwd: string; env: Record<string, string>; ms?: number },
): Promise<EntryRun> {
  const child = spawn(NODE24, [...SRC_ENTRY_ARGS, join(REPO_ROOT, entry), ...args], {
    cwd: opts.cwd,
    env: opts.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString('utf8');
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not finish in ${opts.ms ?? 120_000} ms:\n${stdout}\n${stderr}`));
    }, opts.ms ?? 120_000);
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, stdout, stderr };
}
