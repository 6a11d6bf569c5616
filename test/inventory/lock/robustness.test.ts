import { describe, expect, it } from 'vitest';
import { inDependencyTree } from '../../../src/inventory/lock/common.js';
import { LOCK_ANALYZERS, packageLockAnalyzer, yarnAnalyzer } from '../../../src/inventory/lock/index.js';
import { parsePackageLock } from '../../../src/inventory/lock/package-lock/analyzer.js';
import { parseXml } from '../../../src/inventory/lock/pom/xml.js';
import { parseToml } from '../../../src/inventory/lock/toml.js';
import { mergePackages } from '../../../src/inventory/merge.js';
import type { Package } from '../../../src/model/report.js';
import { runLayers, runOn } from './helpers.js';

describe('LOCK_ANALYZERS', () => {
  it('13 analyzers named lock/<format>, deep mode only, distinct names', () => {
    expect(LOCK_ANALYZERS.map((a) => a.name)).toEqual([
      'lock/package-lock',
      'lock/yarn',
      'lock/pnpm',
      'lock/pipfile',
      'lock/poetry',
      'lock/requirements',
      'lock/gemfile',
      'lock/composer',
      'lock/cargo',
      'lock/gomod',
      'lock/pom',
      'lock/mix',
      'lock/pubspec',
    ]);
    for (const a of LOCK_ANALYZERS) expect(a.modes).toEqual(['deep']);
  });

  it('lockfiles inside dependency trees are not requested', () => {
    const m = packageLockAnalyzer.requests[0]!.match;
    expect(m('app/package-lock.json')).toBe(true);
    expect(m('app/node_modules/x/package-lock.json')).toBe(false);
    expect(inDependencyTree('root/go/pkg/mod/github.com/x/y@v1.0.0/go.mod')).toBe(true);
    expect(inDependencyTree('root/.cargo/registry/src/index/x-1.0.0/Cargo.lock')).toBe(true);
    expect(inDependencyTree('app/vendor/symfony/console/composer.lock')).toBe(true);
    expect(inDependencyTree('usr/local/bundle/gems/rake-13.0.6/Gemfile.lock', ['gems'])).toBe(true);
    expect(inDependencyTree('app/deps/plug/mix.lock', ['deps'])).toBe(true);
    expect(inDependencyTree('srv/app/Cargo.lock')).toBe(false);
  });
});

describe('bad input: a problem naming the file, the scan goes on', () => {
  const garbage = Buffer.from('{"packages": [1, 2,,, \u0000 \n[[[ %{ <project><x></project> ');
  it.each(LOCK_ANALYZERS.map((a) => [a.name, a] as const))('%s', async (_n, a) => {
    const name = {
      'lock/package-lock': 'package-lock.json',
      'lock/yarn': 'yarn.lock',
      'lock/pnpm': 'pnpm-lock.yaml',
      'lock/pipfile': 'Pipfile.lock',
      'lock/poetry': 'poetry.lock',
      'lock/requirements': 'requirements.txt',
      'lock/gemfile': 'Gemfile.lock',
      'lock/composer': 'composer.lock',
      'lock/cargo': 'Cargo.lock',
      'lock/gomod': 'go.mod',
      'lock/pom': 'pom.xml',
      'lock/mix': 'mix.lock',
      'lock/pubspec': 'pubspec.lock',
    }[a.name]!;
    const r = await runOn(a, [`bad/${name}`, garbage], [`oversize/${name}`, Buffer.alloc(0)]);
    // requirements.txt has no structure to violate: garbage lines are skipped, not problems.
    if (a.name !== 'lock/requirements') expect(r.problems.map((p) => p.path)).toContain(`bad/${name}`);
    expect(r.packages.every((p) => p.location !== 'bad/' + name || a.name === 'lock/requirements')).toBe(true);
  });

  it('a file over the size cap is a problem naming it', async () => {
    const r = await runLayers(packageLockAnalyzer, [new Map([['app/package-lock.json', null]])]);
    expect(r.problems).toEqual([
      { path: 'app/package-lock.json', message: expect.stringMatching(/larger than the 64 MiB limit/) },
    ]);
  });

  it('a 20,000-deep package-lock v1 tree: walked with a stack, bounded time', () => {
    const text =
      '{"lockfileVersion":1,"dependencies":' +
      '{"p":{"version":"1.0.0","dependencies":'.repeat(20_000) +
      '{}' +
      '}}'.repeat(20_000) +
      '}';
    const t0 = Date.now();
    let parsed;
    try {
      parsed = parsePackageLock(text);
    } catch (err) {
      // JSON.parse of this depth may itself refuse (engine limit): that is a thrown error → a problem, not a crash.
      expect(err).toBeInstanceOf(Error);
      return;
    }
    expect(parsed.entries).toHaveLength(20_000);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('hostile names and versions (control characters, huge strings) are skipped, not reported', async () => {
    const lock = JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': {},
        'node_modules/ok': { version: '1.0.0' },
        'node_modules/bad\u0007': { version: '1.0.0' },
        'node_modules/big': { version: 'x'.repeat(100_000) },
      },
    });
    const r = await runOn(packageLockAnalyzer, ['app/package-lock.json', lock]);
    expect(r.packages.map((p) => p.name)).toEqual(['ok']);
  });

  it('deeply nested TOML arrays and XML elements are refused, not recursed into', () => {
    expect(() => parseToml('a = ' + '['.repeat(10_000) + ']'.repeat(10_000))).toThrow(/nested deeper/);
    expect(() => parseXml('<a>'.repeat(10_000) + '</a>'.repeat(10_000))).toThrow(/nested deeper/);
    expect(() => parseToml('[__proto__]\nx = 1')).toThrow(/not allowed/);
  });

  it('XML entities of a DOCTYPE are not expanded', () => {
    const doc = parseXml('<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><project><v>&b;</v></project>');
    expect(doc.children[0]!.children[0]!.text).toBe('&b;');
  });
});

describe('layer attribution', () => {
  it('a package keeps the lowest layer from which the lockfile still lists it', async () => {
    const v1 = 'a@^1:\n  version "1.0.0"\n\nb@^1:\n  version "1.0.0"\n';
    const v2 = 'a@^1:\n  version "1.0.0"\n\nb@^1:\n  version "1.1.0"\n';
    const r = await runLayers(yarnAnalyzer, [
      new Map([['app/yarn.lock', Buffer.from(v1)]]),
      new Map([['app/yarn.lock', Buffer.from(v2)]]),
    ]);
    expect(r.packages.map((p) => `${p.name}@${p.version}:${p.layer?.index}`).sort()).toEqual([
      'a@1.0.0:0',
      'b@1.1.0:1',
    ]);
  });
});

function pkg(p: Partial<Package> & Pick<Package, 'name' | 'version' | 'type' | 'location' | 'found_by'>): Package {
  return { source_name: p.name, source_version: p.version, purl: '', layer: null, arch: null, ecosystem: null, ...p };
}

describe('mergePackages', () => {
  it('installed + lockfile → one package with both locations; installed fields kept', () => {
    const inst = pkg({
      name: 'Django',
      version: '4.2.0',
      type: 'pypi',
      location: 'usr/lib/site-packages/Django-4.2.0.dist-info/METADATA',
      found_by: 'lang/pip',
    });
    const lock = pkg({
      name: 'django',
      version: '4.2.0',
      type: 'pypi',
      location: 'app/poetry.lock',
      found_by: 'lock/poetry',
      metadata: { dev: 'true' },
    });
    const req = pkg({
      name: 'django',
      version: '4.2.0',
      type: 'pypi',
      location: 'app/requirements.txt',
      found_by: 'lock/requirements',
    });
    const out = mergePackages([lock, inst, req]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      found_by: 'lang/pip',
      location: inst.location,
      locations: [inst.location, 'app/poetry.lock', 'app/requirements.txt'],
    });
    expect(inst).not.toHaveProperty('locations');
  });

  it('two installed copies stay two; different versions never merge; lock-only dev is cleared by a non-dev lockfile', () => {
    const a = pkg({
      name: 'ms',
      version: '2.0.0',
      type: 'npm',
      location: 'app/node_modules/ms/package.json',
      found_by: 'lang/npm',
    });
    const b = pkg({
      name: 'ms',
      version: '2.0.0',
      type: 'npm',
      location: 'app/node_modules/x/node_modules/ms/package.json',
      found_by: 'lang/npm',
    });
    const c = pkg({
      name: 'ms',
      version: '2.1.3',
      type: 'npm',
      location: 'app/package-lock.json',
      found_by: 'lock/package-lock',
    });
    const d = pkg({
      name: 'left-pad',
      version: '1.0.0',
      type: 'npm',
      location: 'app/package-lock.json',
      found_by: 'lock/package-lock',
      metadata: { dev: 'true' },
    });
    const e = pkg({
      name: 'left-pad',
      version: '1.0.0',
      type: 'npm',
      location: 'app/yarn.lock',
      found_by: 'lock/yarn',
    });
    const out = mergePackages([a, b, c, d, e]);
    expect(out.map((p) => `${p.name}@${p.version} ${p.locations?.length ?? 1}`)).toEqual([
      'ms@2.0.0 1',
      'ms@2.0.0 1',
      'ms@2.1.3 1',
      'left-pad@1.0.0 2',
    ]);
    expect(out[3]!.metadata).toBeUndefined();
  });
});
