/**
 * The CLI and the action run from the TypeScript source (not dist/), as processes: the Node 24 binary of the
 * `node` devDependency with its type stripping and the hooks of ts-source-hooks.mjs. What a user sees (stdout,
 * stderr, exit code, files) is the same as from the bundle the lead builds from this source.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/shared.js';
import { NODE24 } from './run-action.js';

export const SOURCE_NODE_ARGS = [
  '--experimental-transform-types',
  '--no-warnings',
  '--import',
  join(REPO_ROOT, 'test/e2e/ts-source-hooks.mjs'),
];
/** argv for runAction (run-action.ts): the action's entry point from source. */
export const ACTION_SOURCE_ARGV = [...SOURCE_NODE_ARGS, join(REPO_ROOT, 'src/action/main.ts')];

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `scanrook <args>` from source, in `cwd`, with HOME there (no cache of the user's). */
export function runCliSource(args: readonly string[], cwd: string, timeoutMs = 120_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE24, [...SOURCE_NODE_ARGS, join(REPO_ROOT, 'src/cli.ts'), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd },
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
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`scanrook ${args.join(' ')} did not finish in ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
