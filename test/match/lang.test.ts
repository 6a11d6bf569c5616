/**
 * Language packages (name in the base ecosystem, mapped from Package.type) against real advisories, with
 * versions taken from real lockfiles in shared/data/pkgdb. PyPI's expected set comes from python's
 * `packaging` (PEP 440) walking each record's introduced→fixed/last_affected intervals; the other ecosystems
 * are checked on cases reasoned out by hand (written beside each assertion).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matchPackages } from '../../src/match/match.js';
import type { Finding, Package } from '../../src/model/report.js';
import type { OsvRecord } from '../../src/vulndb/types.js';
import { haveShared, sharedPath } from '../helpers/shared.js';
import { pkg } from './helpers.js';
import { MemVulnDb, zipRecords } from './mem-db.js';

const PEP440_ORACLE = `
import json, re, sys
from packaging.version import Version, InvalidVersion
data = json.load(sys.stdin)
def norm(n): return re.sub(r'[-_.]+', '-', n.lower())
out = []
for name, v in data['packages']:
    for rec in data['records']:
        hit = False; fixes = []
        for a in rec.get('affected', []):
            if a['package']['ecosystem'] != 'PyPI' or norm(a['package']['name']) != norm(name): continue
            if v in (a.get('versions') or []): hit = True
            for r in a.get('ranges', []):
                if r['type'] != 'ECOSYSTEM': continue
                ev = r['events']; i = 0
                while i < len(ev):
                    if 'introduced' not in ev[i]: i += 1; continue
                    lo = ev[i]['introduced']; hi = ev[i + 1] if i + 1 < len(ev) and 'introduced' not in ev[i + 1] else None
                    ok = lo == '0' or Version(v) >= Version(lo)
                    if hi and 'fixed' in hi: ok = ok and Version(v) < Version(hi['fixed'])
                    if hi and 'last_affected' in hi: ok = ok and Version(v) <= Version(hi['last_affected'])
                    if ok:
                        hit = True
                        if hi and 'fixed' in hi: fixes.append(hi['fixed'])
                    i += 2 if hi else 1
        if hit:
            out.append([name, rec['id'], str(min(fixes, key=Version)) if fixes else None])
print(json.dumps(out))
`;

function byKey(findings: Finding[]): Map<string, Finding> {
  return new Map(findings.map((f) => [`${f.package}@${f.installed_version} ${f.id}`, f]));
}

describe.runIf(haveShared())('language ecosystems on real lockfile versions', () => {
  it('PyPI: trivy-ci-test Pipfile.lock against the PyPI advisories = python packaging', () => {
    const lock = JSON.parse(
      readFileSync(sharedPath('data', 'pkgdb', 'python', 'trivy-ci-test', 'Pipfile.lock'), 'utf8'),
    ) as Record<string, Record<string, { version?: string }>>;
    const seen = new Set<string>();
    const packages: Package[] = [];
    for (const section of ['default', 'develop']) {
      for (const [name, v] of Object.entries(lock[section] ?? {})) {
        const version = v.version?.replace(/^==/, '');
        if (!version || seen.has(name)) continue;
        seen.add(name);
        packages.push(pkg({ name, version, type: 'pypi' })); // ecosystem null: mapped from the type
      }
    }
    expect(packages.length).toBeGreaterThan(30);
    const records = zipRecords('PyPI/all.zip', (r) => !r.withdrawn);
    const relevant = records.filter((r) =>
      r.affected?.some((a) =>
        packages.some(
          (p) => p.name.toLowerCase().replace(/[-_.]+/g, '-') === a.package?.name.toLowerCase().replace(/[-_.]+/g, '-'),
        ),
      ),
    );
    const out = execFileSync('python3', ['-c', PEP440_ORACLE], {
      input: JSON.stringify({ records: relevant, packages: packages.map((p) => [p.name, p.version]) }),
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    const oracle = JSON.parse(out) as [string, string, string | null][];
    const r = matchPackages(packages, new MemVulnDb(records));
    expect(r.unparsable).toEqual([]);
    // Compare per (package, record): a finding covers each record id among its id and aliases.
    const got = new Map<string, string | null>();
    for (const f of r.findings)
      for (const id of [f.id, ...f.aliases])
        if (relevant.some((x) => x.id === id)) got.set(`${f.package} ${id}`, f.fixed_version);
    expect([...got.keys()].sort()).toEqual(oracle.map(([n, id]) => `${n} ${id}`).sort());
    for (const [n, id, fixed] of oracle) expect(got.get(`${n} ${id}`), `${n} ${id}`).toBe(fixed);
    expect(oracle.length).toBeGreaterThan(30);
    // Django 2.0.9 has many; each finding's headline is its CVE.
    expect(
      r.findings
        .filter((f) => f.package === 'django')
        .every((f) => /^CVE-/.test(f.id) || !f.aliases.some((a) => a.startsWith('CVE-'))),
    ).toBe(true);
  });

  it('Go: go.mod versions (trivy-gomod) against the Go advisories', () => {
    const gomod = readFileSync(sharedPath('data', 'pkgdb', 'go', 'trivy-gomod', 'go.mod'), 'utf8');
    const version = (mod: string) => new RegExp(`${mod.replace(/[.]/g, '\\.')}\\s+(v\\S+)`).exec(gomod)![1]!;
    const packages = ['golang.org/x/text', 'gopkg.in/yaml.v2', 'github.com/docker/distribution'].map((name) =>
      pkg({ name, version: version(name), type: 'golang' }),
    );
    expect(packages.map((p) => p.version)).toEqual(['v0.3.6', 'v2.4.0', 'v2.7.1+incompatible']);
    const r = matchPackages(packages, new MemVulnDb(zipRecords('Go/all.zip')));
    const got = byKey(r.findings);
    // x/text v0.3.6: GO-2021-0113 (fixed 0.3.7) and GO-2022-1059 (fixed 0.3.8) both apply.
    expect(got.get('golang.org/x/text@v0.3.6 CVE-2021-38561')).toMatchObject({
      fixed_version: '0.3.7',
      aliases: expect.arrayContaining(['GO-2021-0113']),
    });
    expect(got.get('golang.org/x/text@v0.3.6 CVE-2022-32149')).toMatchObject({
      fixed_version: '0.3.8',
      aliases: expect.arrayContaining(['GO-2022-1059']),
    });
    // yaml.v2 2.4.0 is above GO-2021-0061's and GO-2022-0956's fixes (2.2.8 / 2.2.4): nothing.
    expect([...got.keys()].filter((k) => k.startsWith('gopkg.in/yaml.v2'))).toEqual([]);
    // docker/distribution v2.7.1+incompatible: build metadata ignored, below GO-2022-0103's 2.8.0.
    expect(got.has('github.com/docker/distribution@v2.7.1+incompatible CVE-2017-11468')).toBe(false);
    expect([...got.keys()].some((k) => k.startsWith('github.com/docker/distribution@'))).toBe(true);
    expect(r.unparsable).toEqual([]);
  });

  it('crates.io: Cargo.lock versions (trivy-ci-test) against RustSec', () => {
    const lock = readFileSync(sharedPath('data', 'pkgdb', 'rust', 'trivy-ci-test', 'Cargo.lock'), 'utf8');
    const packages = [...lock.matchAll(/\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"/g)].map((m) =>
      pkg({ name: m[1]!, version: m[2]!, type: 'cargo' }),
    );
    const smallvec = packages.find((p) => p.name === 'smallvec')!;
    expect(smallvec.version).toBe('0.6.9');
    const r = matchPackages(packages, new MemVulnDb(zipRecords('crates.io/all.zip')));
    const ids = new Set(r.findings.filter((f) => f.package === 'smallvec').flatMap((f) => [f.id, ...f.aliases]));
    // RUSTSEC-2019-0009 and -0012: fixed in 0.6.10, 0.6.9 affected. RUSTSEC-2018-0003: fixed 0.6.3, not affected.
    expect(ids.has('RUSTSEC-2019-0009')).toBe(true);
    expect(ids.has('RUSTSEC-2019-0012')).toBe(true);
    expect(ids.has('RUSTSEC-2018-0003')).toBe(false);
    expect(
      r.findings.find(
        (f) => f.package === 'smallvec' && (f.id === 'RUSTSEC-2019-0009' || f.aliases.includes('RUSTSEC-2019-0009')),
      )!.fixed_version,
    ).toBe('0.6.10');
    expect(r.unparsable).toEqual([]);
  });

  it('RubyGems and Packagist: Gemfile.lock / composer.lock versions', () => {
    const gemfile = readFileSync(sharedPath('data', 'pkgdb', 'ruby', 'syft', 'Gemfile.lock'), 'utf8');
    const gems = [...gemfile.matchAll(/^ {4}(\S+) \(([^)]+)\)$/gm)].map((m) =>
      pkg({ name: m[1]!, version: m[2]!, type: 'gem' }),
    );
    const activemodel = gems.find((g) => g.name === 'activemodel')!;
    expect(activemodel.version).toBe('4.1.1');
    const rg = matchPackages(gems, new MemVulnDb(zipRecords('RubyGems/all.zip')));
    expect(rg.findings.length).toBeGreaterThan(50);
    // activemodel 4.1.1: RUBYSEC CVE-2016-0753 ranges < 4.1.14.1 → affected, fixed 4.1.14.1.
    const am = rg.findings.filter((f) => f.package === 'activemodel');
    expect(am.map((f) => [f.id, f.fixed_version])).toEqual([['CVE-2016-0753', '4.1.14.1']]);
    expect(rg.unparsable).toEqual([]);

    const composer = JSON.parse(readFileSync(sharedPath('data', 'pkgdb', 'php', 'trivy', 'composer.lock'), 'utf8')) as {
      packages: { name: string; version: string }[];
    };
    const php = composer.packages.map((p) => pkg({ name: p.name, version: p.version, type: 'composer' }));
    const rp = matchPackages(php, new MemVulnDb(zipRecords('Packagist/all.zip')));
    expect(rp.unparsable).toEqual([]);
    for (const f of rp.findings) expect(f.package_type).toBe('composer');
    expect(rp.findings.length).toBeGreaterThan(0);
  });

  it('Maven: jackson-databind 2.9.1 from a real pom.xml; GitHub severity when no vector', () => {
    const pom = readFileSync(sharedPath('data', 'pkgdb', 'java', 'trivy-pom', 'pom.xml'), 'utf8');
    expect(pom).toContain('<artifactId>jackson-databind</artifactId>\n            <version>2.9.1</version>');
    const records: OsvRecord[] = zipRecords('Maven/all.zip');
    const r = matchPackages(
      [pkg({ name: 'com.fasterxml.jackson.core:jackson-databind', version: '2.9.1', type: 'maven' })],
      new MemVulnDb(records),
    );
    const got = byKey(r.findings);
    // GHSA-27xj-rqx5-2255: [2.9.0, 2.9.10.4) → affected, fixed 2.9.10.4. GHSA-3x8x-79m2-3w2w: [2.10.0, 2.12.6) → not.
    const f = [...got.values()].find(
      (x) => x.aliases.includes('GHSA-27xj-rqx5-2255') || x.id === 'GHSA-27xj-rqx5-2255',
    )!;
    expect(f.fixed_version).toBe('2.9.10.4');
    expect([...got.values()].some((x) => x.aliases.includes('GHSA-3x8x-79m2-3w2w'))).toBe(false);
    expect(r.findings.length).toBeGreaterThan(30);
    for (const x of r.findings)
      expect(x.severity_source ?? '').toMatch(/^(CVSS_V\d(\.\d)? vector|GitHub severity) from GHSA-/);
  });
});
