/**
 * The shipped bundle, not the sources: dist/cli.js must load sql.js's WebAssembly from dist/ (ncc cannot
 * inline it) — the vulnerability DB depends on it. Runs the built CLI under the Node the action uses (24,
 * pinned as a devDependency) and under the machine's node.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared.js';

const dist = join(REPO_ROOT, 'dist');
const require = createRequire(import.meta.url);
const node24 = join(dirname(require.resolve('node/package.json')), 'bin', 'node');

describe('the bundle in dist/', () => {
  it('exists (run `npm run build` first)', () => {
    for (const f of ['index.js', 'cli.js', 'cli-main.js', 'sql-wasm.wasm', 'sql-wasm.cjs', 'package.json'])
      expect(existsSync(join(dist, f)), f).toBe(true);
    expect(readFileSync(join(dist, 'cli.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  for (const [label, bin] of [
    ['node 24 (the action runtime)', node24],
    ["this machine's node", process.execPath],
  ] as const) {
    it(`dist/cli.js opens an in-memory SQLite database with the wasm beside it — ${label}`, () => {
      const out = execFileSync(bin, [join(dist, 'cli.js'), 'db', 'selftest'], { cwd: '/', encoding: 'utf8' });
      const r = JSON.parse(out) as { ok: boolean; sqlite_version: string; wasm: string };
      expect(r.ok).toBe(true);
      expect(r.sqlite_version).toMatch(/^3\.\d+\.\d+$/);
      expect(r.wasm).toBe(join(dist, 'sql-wasm.wasm'));
    });
  }

  it('dist/cli.js is a launcher: the compile cache goes where Node puts it (NODE_COMPILE_CACHE, else the OS temp folder), never into the repo', () => {
    const launcher = readFileSync(join(dist, 'cli.js'), 'utf8');
    expect(launcher).toMatch(/enableCompileCache\?\.\(\)/);
    expect(launcher).toMatch(/import\('\.\/cli-main\.js'\)/);
    expect(launcher.length).toBeLessThan(1000);
    const cache = mkdtempSync(join(tmpdir(), 'scanrook-cc-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_COMPILE_CACHE: cache };
      delete env.NODE_DISABLE_COMPILE_CACHE;
      const out = execFileSync(node24, [join(dist, 'cli.js'), '--version'], { cwd: '/', encoding: 'utf8', env });
      expect(out).toMatch(/^scanrook \d/);
      expect(readdirSync(cache, { recursive: true }).length).toBeGreaterThan(0);
      // and with the cache already there, the same answer
      expect(execFileSync(node24, [join(dist, 'cli.js'), '--version'], { cwd: '/', encoding: 'utf8', env })).toBe(out);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
    expect(readdirSync(dist).filter((f) => /cache/i.test(f))).toEqual([]);
  });

  it('node 24 is what the action declares', () => {
    expect(execFileSync(node24, ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./);
    expect(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')).toMatch(/using:\s*['"]?node24/);
  });
});
