/**
 * Issue 17 item 3, npm family: yarn v1 GitHub-shorthand dependencies are not npm registry packages, pnpm
 * 5.x keys that start with a registry host are packages of that registry, and a 5.x key whose version is not
 * SemVer (`/foo/bar`) is not a package. Fixtures under test/fixtures/inventory/lock/own/ (PROVENANCE.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePnpmLock, pnpmAnalyzer } from '../../../src/inventory/lock/pnpm/analyzer.js';
import { parseYarnLock, yarnAnalyzer } from '../../../src/inventory/lock/yarn/analyzer.js';
import { FIX, nv, runOn } from './helpers.js';

const own = (...p: string[]) => readFileSync(join(FIX, 'own', ...p));

describe('yarn v1: GitHub shorthand (owner/repo#ref, codeload.github.com) is not a registry package', () => {
  it('only the registry entry is reported; the two GitHub entries are counted skips', async () => {
    const r = await runOn(yarnAnalyzer, ['app/yarn.lock', own('yarn-github', 'yarn.lock')]);
    expect(r.problems).toEqual([]);
    expect(nv(r.packages)).toEqual(['left-pad@1.3.0']);
    expect(r.packages.map((p) => p.purl)).toEqual(['pkg:npm/left-pad@1.3.0']);
    const parsed = parseYarnLock(own('yarn-github', 'yarn.lock').toString());
    expect(parsed.skipped.map((s) => s.what).sort()).toEqual([
      'is-number@jonschlinkert/is-number#7.0.0',
      'minimist@github:substack/minimist#1.2.0',
    ]);
    expect(r.logs.some((l) => JSON.stringify(l).includes('2 entries not reported'))).toBe(true);
  });

  it('a plain registry range with a codeload resolved URL (a git tarball under a registry name) is skipped too', () => {
    const text =
      'foo@^1.0.0:\n  version "1.0.0"\n  resolved "https://codeload.github.com/o/foo/tar.gz/0123456789abcdef"\n';
    expect(parseYarnLock(text).entries).toEqual([]);
  });
});

describe('pnpm 5.x keys with a registry host, and keys without a version', () => {
  const body = own('pnpm-v5-hosts', 'pnpm-lock.yaml');

  it('host keys are registry packages; the default registry has no qualifier, another host repository_url', async () => {
    const r = await runOn(pnpmAnalyzer, ['app/pnpm-lock.yaml', body]);
    expect(r.problems).toEqual([]);
    expect(r.packages.map((p) => p.purl).sort()).toEqual([
      'pkg:npm/%40acme/baz@2.0.0?repository_url=localhost%3A4873',
      'pkg:npm/%40sindresorhus/is@0.7.0',
      'pkg:npm/bar@1.2.0?repository_url=example.com',
      'pkg:npm/foo@1.1.0',
      'pkg:npm/left-pad@1.3.0',
    ]);
    expect(r.packages.find((p) => p.name === '@acme/baz')?.metadata?.dev).toBe('true');
  });

  it('/foo/bar is not foo@bar: skipped as not a name@version key', () => {
    const r = parsePnpmLock(body.toString());
    expect(r.entries.some((e) => e.version === 'bar')).toBe(false);
    expect(r.skipped).toEqual([{ what: '/foo/bar', reason: 'key is not name@version' }]);
  });

  it('a git host key (github.com/owner/repo/sha) is not a package', () => {
    const text =
      'lockfileVersion: 5.4\npackages:\n  github.com/o/r/0123456789abcdef0123456789abcdef01234567:\n    resolution: {integrity: x}\n';
    expect(parsePnpmLock(text).entries).toEqual([]);
  });
});
