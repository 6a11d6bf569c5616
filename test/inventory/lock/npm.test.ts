import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { npmAnalyzer } from '../../../src/inventory/lang/npm/analyzer.js';
import { packageLockAnalyzer, parsePackageLock } from '../../../src/inventory/lock/package-lock/analyzer.js';
import { mergePackages } from '../../../src/inventory/merge.js';
import { haveShared, sharedPath } from '../../helpers/shared.js';
import { run } from '../lang/helpers.js';
import { nv, runOn, TRIVY, uniq } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'scanrook-lock-npm-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface LsNode {
  version?: string;
  resolved?: string;
  missing?: boolean;
  dependencies?: Record<string, LsNode>;
}

/** The oracle: npm itself (`npm ls --all --json --package-lock-only`), flattened to name@version. Only entries
 *  npm resolved from a registry URL are kept (ScanRook's documented rule: git/file/link/workspace entries are
 *  not registry releases). A v1 lockfile carries no root manifest, so npm is given a package.json declaring
 *  the lockfile's own top-level entries (dev ones as devDependencies) to root its tree. */
function npmLs(lockfile: string): string[] {
  const dir = mkdtempSync(join(tmp, 'ls-'));
  copyFileSync(lockfile, join(dir, 'package-lock.json'));
  const lock = JSON.parse(readFileSync(lockfile, 'utf8')) as {
    lockfileVersion?: number;
    dependencies?: Record<string, { version: string; dev?: boolean }>;
  };
  if ((lock.lockfileVersion ?? 1) === 1 && lock.dependencies) {
    const top = Object.entries(lock.dependencies);
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'oracle',
        version: '1.0.0',
        dependencies: Object.fromEntries(top.filter(([, v]) => !v.dev).map(([k, v]) => [k, v.version])),
        devDependencies: Object.fromEntries(top.filter(([, v]) => v.dev).map(([k, v]) => [k, v.version])),
      }),
    );
  }
  let out: string;
  try {
    out = execFileSync('npm', ['ls', '--all', '--json', '--package-lock-only'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 << 20,
    });
  } catch (err) {
    out = (err as { stdout: string }).stdout; // npm ls exits 1 on problems (invalid, missing) but still prints the tree
  }
  const root = JSON.parse(out) as LsNode;
  const found: string[] = [];
  // A node is local when npm resolved it to a folder/git/link, or when it has no `resolved` and sits under a
  // local node (a workspace member seen through its link). Bundled dependencies have no `resolved` either but
  // sit under a registry package: they are kept.
  const stack: [string, LsNode, boolean][] = Object.entries(root.dependencies ?? {}).map(([k, v]) => [k, v, false]);
  while (stack.length) {
    const [name, n, parentLocal] = stack.pop()!;
    const local = n.resolved ? /^(?:file:|git|link:)/.test(n.resolved) : parentLocal;
    if (n.version && !n.missing && !local) found.push(`${name}@${n.version}`);
    for (const [k, v] of Object.entries(n.dependencies ?? {})) stack.push([k, v, local]);
  }
  return uniq(found);
}

const TRIVY_LOCKS = readdirSync(join(TRIVY, 'npm')).sort();
const SHARED_LOCKS = ['syft-npm-lock', 'syft-npm-lock-collapse-white-space', 'trivy-npm'];

describe('lock/package-lock against npm ls --package-lock-only', () => {
  it.each(TRIVY_LOCKS)(
    'trivy %s',
    async (name) => {
      const file = join(TRIVY, 'npm', name, 'package-lock.json');
      const r = await runOn(packageLockAnalyzer, ['app/package-lock.json', readFileSync(file)]);
      expect(r.problems).toEqual([]);
      expect(nv(r.packages)).toEqual(npmLs(file));
    },
    60_000,
  );

  describe.runIf(haveShared())('shared pkgdb', () => {
    it.each(SHARED_LOCKS)(
      '%s',
      async (name) => {
        const file = sharedPath('data', 'pkgdb', 'npm', name, 'package-lock.json');
        const r = await runOn(packageLockAnalyzer, ['srv/package-lock.json', readFileSync(file)]);
        expect(r.problems).toEqual([]);
        const ours = nv(r.packages);
        expect(ours).toEqual(npmLs(file));
        expect(ours.length).toBeGreaterThan(0);
      },
      60_000,
    );
  });
});

describe('lock/package-lock details', () => {
  it('v3: skips the root and link entries, keeps dev marked, one package per name@version', async () => {
    const r = await runOn(packageLockAnalyzer, [
      'app/package-lock.json',
      readFileSync(join(TRIVY, 'npm', 'package-lock_v3_with_workspace.json', 'package-lock.json')),
    ]);
    const lock = JSON.parse(
      readFileSync(join(TRIVY, 'npm', 'package-lock_v3_with_workspace.json', 'package-lock.json'), 'utf8'),
    );
    const links = Object.entries(lock.packages as Record<string, { link?: boolean }>)
      .filter(([, v]) => v.link)
      .map(([k]) => k);
    expect(links.length).toBeGreaterThan(0);
    for (const k of links)
      expect(r.packages.some((p) => p.name === k.slice(k.lastIndexOf('node_modules/') + 13))).toBe(false);
    expect(r.logs.some((l) => l.level === 'info' && /link to a local folder/.test(l.message))).toBe(true);
  });

  it('dev flag: dev-only entries are marked, an entry both dev and non-dev is not', async () => {
    const file = join(TRIVY, 'npm', 'package-lock_v3_with-same-dev-and-non-dev.json', 'package-lock.json');
    const lock = JSON.parse(readFileSync(file, 'utf8')) as {
      packages: Record<string, { version?: string; dev?: boolean }>;
    };
    const r = await runOn(packageLockAnalyzer, ['app/package-lock.json', readFileSync(file)]);
    const byKey = new Map<string, boolean>();
    for (const [k, v] of Object.entries(lock.packages)) {
      if (!k) continue;
      const key = `${k.slice(k.lastIndexOf('node_modules/') + 13)}@${v.version}`;
      byKey.set(key, (byKey.get(key) ?? true) && v.dev === true);
    }
    expect(r.packages.map((p) => `${p.name}@${p.version}\t${p.metadata?.dev === 'true'}`).sort()).toEqual(
      [...byKey].map(([k, d]) => `${k}\t${d}`).sort(),
    );
    expect([...byKey.values()]).toContain(true);
  });

  it('fills the report fields (npm ecosystem, purl, location, found_by, deep only)', async () => {
    const r = await runOn(packageLockAnalyzer, [
      'app/package-lock.json',
      readFileSync(join(TRIVY, 'npm', 'package-lock_v3.json', 'package-lock.json')),
    ]);
    const p = r.packages.find((x) => x.name === '@babel/helper-string-parser')!;
    expect(p).toMatchObject({
      version: '7.19.4',
      type: 'npm',
      ecosystem: 'npm',
      purl: 'pkg:npm/%40babel/helper-string-parser@7.19.4',
      location: 'app/package-lock.json',
      found_by: 'lock/package-lock',
    });
    expect(packageLockAnalyzer.modes).toEqual(['deep']);
  });

  it('v1 alias versions name the real package', () => {
    const lock = JSON.stringify({
      lockfileVersion: 1,
      dependencies: { 'my-lodash': { version: 'npm:lodash@4.17.21' }, g: { version: 'github:user/repo#abc' } },
    });
    const r = parsePackageLock(lock);
    expect(r.entries).toEqual([{ name: 'lodash', version: '4.17.21', metadata: undefined }]);
    expect(r.skipped.map((s) => s.reason)).toEqual(['not from a registry (git, file or link)']);
  });
});

describe.runIf(haveShared())('lock/package-lock on lang.oci.tar, merged with lang/npm', () => {
  it('every package of /app/package-lock.json is an installed package too: merging leaves the installed list with two locations', async () => {
    const LANG = sharedPath('images', 'lang.oci.tar');
    const lock = await run(LANG, packageLockAnalyzer, 'deep');
    const inst = await run(LANG, npmAnalyzer, 'deep');
    expect(lock.result.problems).toEqual([]);
    const lockPkgs = lock.result.packages;
    expect(lockPkgs.length).toBeGreaterThan(0);
    expect(lockPkgs.every((p) => p.location === 'app/package-lock.json' && p.layer?.index === 2)).toBe(true);
    // package-lock v3 of the app vs what is installed: same name@version set.
    expect(nv(lockPkgs)).toEqual(uniq(nv(inst.result.packages)));
    const merged = mergePackages([...inst.result.packages, ...lockPkgs]);
    expect(merged.length).toBe(inst.result.packages.length);
    expect(merged.filter((p) => p.locations?.includes('app/package-lock.json')).length).toBe(lockPkgs.length);
    expect(merged.every((p) => p.found_by === 'lang/npm')).toBe(true);
  }, 120_000);
});
