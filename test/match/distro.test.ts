/**
 * Distribution packages against real distro advisories. Expected sets are computed independently of the
 * matcher: dpkg's own `dpkg-query` reads the status files and `dpkg --compare-versions` decides each
 * introduced/fixed interval; rpm's own `rpm.vercmp` for EVRs; for apk there is no oracle binary on Debian, so
 * a deliberately narrow comparison (plain `N.N.N[letter]-rN` versions only, anything else refused) plus
 * cases reasoned out by hand, written next to each assertion.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchPackages } from '../../src/match/match.js';
import type { Finding, Package } from '../../src/model/report.js';
import type { OsvRecord } from '../../src/vulndb/types.js';
import { haveOracle } from '../helpers/oracles.js';
import { apkAwk, extractWanted } from '../helpers/pkg-oracles.js';
import { haveShared, sharedPath } from '../helpers/shared.js';
import { dpkgQuery, dpkgTrue, imagePackages, intervalsContain, pkg, rpmVercmp } from './helpers.js';
import { looseRecord, MemVulnDb, zipRecord, zipRecords } from './mem-db.js';

const SIMPLE_APK = /^(\d+(?:\.\d+)*)([a-z]?)-r(\d+)$/;

/** apk order for plain `1.2.3[a]-rN` versions only (no leading zeros): numbers, then the letter, then rN. */
function apkSimpleCmp(a: string, b: string): number {
  const x = SIMPLE_APK.exec(a);
  const y = SIMPLE_APK.exec(b);
  if (!x || !y || /(^|\.)0\d/.test(x[1]!) || /(^|\.)0\d/.test(y[1]!))
    throw new Error(`outside the narrow apk oracle: ${a} vs ${b}`);
  const xs = x[1]!.split('.').map(Number);
  const ys = y[1]!.split('.').map(Number);
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    if (i >= xs.length) return -1;
    if (i >= ys.length) return 1;
    if (xs[i] !== ys[i]) return xs[i]! - ys[i]!;
  }
  if (x[2] !== y[2]) return x[2]! < y[2]! ? -1 : 1;
  return Number(x[3]) - Number(y[3]);
}

function key(f: Finding): string {
  return `${f.package} ${f.id} ${f.fixed_version}`;
}

/** Oracle: the (package, record) pairs affected, by source/origin name and the given version field. */
function expectedPairs(
  packages: Package[],
  records: OsvRecord[],
  ecosystem: string,
  by: (p: Package) => { name: string; version: string },
  ge: (a: string, b: string) => boolean,
  lt: (a: string, b: string) => boolean,
): Map<string, { pkg: string; record: string; fixed: string[] }> {
  const out = new Map<string, { pkg: string; record: string; fixed: string[] }>();
  for (const p of packages) {
    const { name, version } = by(p);
    for (const r of records) {
      if (!r.affected?.some((a) => a.package?.ecosystem === ecosystem && a.package.name === name)) continue;
      const res = intervalsContain(r, ecosystem, name, version, ge, lt);
      if (res.affected) out.set(`${p.name} ${r.id}`, { pkg: p.name, record: r.id, fixed: res.fixed });
    }
  }
  return out;
}

const dpkgGe = (a: string, b: string) => dpkgTrue(a, 'ge', b);
const dpkgLt = (a: string, b: string) => dpkgTrue(a, 'lt', b);

describe.runIf(haveShared())('Alpine (apk): origin name, package version', () => {
  const alpine = () => zipRecords('Alpine/all.zip');

  for (const [image, eco] of [
    ['alpine-3.10.docker.tar.gz', 'Alpine:v3.10'],
    ['alpine-3.11.docker.tar.gz', 'Alpine:v3.11'],
  ] as const) {
    it(`${image}: every advisory for its packages is already fixed at the installed version`, async () => {
      const { packages, os } = await imagePackages(sharedPath('images', image));
      expect(os?.ecosystem).toBe(eco);
      const records = alpine();
      const db = new MemVulnDb(records);
      const r = matchPackages(packages, db);
      // Not vacuous: the DB has advisories for these packages' origins in this release.
      const expected = expectedPairs(
        packages,
        records,
        eco,
        (p) => ({ name: p.source_name, version: p.version }),
        (a, b) => apkSimpleCmp(a, b) >= 0,
        (a, b) => apkSimpleCmp(a, b) < 0,
      );
      const evaluated = packages.flatMap((p) => db.lookup(eco, p.source_name).map((e) => `${p.name} ${e.record.id}`));
      expect(evaluated.length).toBeGreaterThanOrEqual(20);
      expect(expected.size).toBe(0);
      expect(r.findings).toEqual([]);
      expect(r.unparsable).toEqual([]);
      expect(r.unknownEcosystems).toEqual([]);
    });
  }

  it('alpine 3.10 by hand: musl 1.1.22-r3 = CVE-2019-14697 fix 1.1.22-r3 (equal → fixed); busybox 1.30.1-r3 > both CVE-2019-5747 fixes', async () => {
    const { packages } = await imagePackages(sharedPath('images', 'alpine-3.10.docker.tar.gz'));
    const musl = packages.find((p) => p.name === 'musl')!;
    const busybox = packages.find((p) => p.name === 'ssl_client')!; // a subpackage: origin busybox
    expect([musl.version, busybox.source_name, busybox.version]).toEqual(['1.1.22-r3', 'busybox', '1.30.1-r3']);
    const recs = alpine().filter((r) => ['ALPINE-CVE-2019-14697', 'ALPINE-CVE-2019-5747'].includes(r.id));
    expect(recs).toHaveLength(2);
    // One release below the installed ones (same pkgver, lower pkgrel): both advisories apply.
    const older = [
      { ...musl, version: '1.1.22-r2', source_version: '1.1.22-r2' },
      { ...busybox, version: '1.30.1-r1', source_version: '1.30.1-r1' },
    ];
    const r = matchPackages([musl, busybox, ...older], new MemVulnDb(recs));
    expect(r.findings.map(key).sort()).toEqual([
      'musl CVE-2019-14697 1.1.22-r3',
      // ALPINE-CVE-2019-5747 lists busybox twice for v3.10 ([0,1.29.3-r10) and [0,1.30.1-r2)): 1.30.1-r1 is
      // only in the second; lowest fix above it is 1.30.1-r2.
      'ssl_client CVE-2019-5747 1.30.1-r2',
    ]);
    expect(r.findings.every((f) => f.installed_version.endsWith('-r2') || f.installed_version.endsWith('-r1'))).toBe(
      true,
    );
  });

  it('an Alpine 3.4-era apk DB (trivy test data, labelled Alpine:v3.4 here): findings equal the narrow oracle', () => {
    const rows = apkAwk(sharedPath('data', 'pkgdb', 'apk', 'trivy', 'lib', 'apk', 'db', 'installed'));
    const packages = rows.map((row) => {
      const [name, version, arch, origin] = row.split('\t') as [string, string, string, string];
      return pkg({
        name,
        version,
        type: 'apk',
        source_name: origin,
        source_version: version,
        arch,
        ecosystem: 'Alpine:v3.4',
        purl: `pkg:apk/alpine/${name}@${version}`,
      });
    });
    const records = alpine();
    const r = matchPackages(packages, new MemVulnDb(records));
    const expected = expectedPairs(
      packages,
      records,
      'Alpine:v3.4',
      (p) => ({ name: p.source_name, version: p.version }),
      (a, b) => apkSimpleCmp(a, b) >= 0,
      (a, b) => apkSimpleCmp(a, b) < 0,
    );
    const byPair = new Map<string, Finding>();
    for (const f of r.findings) byPair.set(`${f.package} ALPINE-${f.id}`, f);
    expect([...byPair.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [k, e] of expected) {
      const lowest = [...e.fixed].sort(apkSimpleCmp)[0] ?? null;
      expect(byPair.get(k)!.fixed_version, k).toBe(lowest);
    }
    // By hand: musl 1.1.14-r10 < 1.1.14-r13 (CVE-2016-8859): affected; libcrypto1.0 1.0.2h-r1 = CVE-2016-2177's
    // fix: not affected; 1.0.2h-r1 < 1.0.2h-r3 (CVE-2016-2179): affected; busybox 1.24.2-r9 > 1.24.2-r0
    // (CVE-2016-2147): not affected; < 1.24.2-r12 (CVE-2016-6301): affected.
    const got = new Set(r.findings.map((f) => `${f.package} ${f.id}`));
    expect(got.has('musl CVE-2016-8859')).toBe(true);
    expect(got.has('musl-utils CVE-2016-8859')).toBe(true);
    expect(got.has('libcrypto1.0 CVE-2016-2177')).toBe(false);
    expect(got.has('libcrypto1.0 CVE-2016-2179')).toBe(true);
    expect(got.has('busybox CVE-2016-2147')).toBe(false);
    expect(got.has('busybox CVE-2016-6301')).toBe(true);
    expect(r.findings.length).toBeGreaterThan(40);
    // Each finding names the binary package, with its own version and purl.
    const crypto = r.findings.find((f) => f.package === 'libcrypto1.0' && f.id === 'CVE-2016-2179')!;
    expect(crypto).toMatchObject({
      installed_version: '1.0.2h-r1',
      fixed_version: '1.0.2h-r3',
      aliases: ['ALPINE-CVE-2016-2179'],
      package_type: 'apk',
      severity: 'unknown',
      severity_source: null,
    });
    expect(crypto.purl).toBe('pkg:apk/alpine/libcrypto1.0@1.0.2h-r1');
  });
});

describe.runIf(haveShared())('Ubuntu 18.04 (dpkg): source name and source version', () => {
  const ubuntu = () => [
    looseRecord('Ubuntu/loose/CVE-2019-5094.json'),
    looseRecord('Ubuntu/loose/UBUNTU-CVE-2025-38094.json'),
    looseRecord('Ubuntu/extra/USN-4142-1.json'),
    looseRecord('Ubuntu/extra/USN-4359-1.json'),
    looseRecord('Ubuntu/extra/USN-5446-1.json'),
  ];
  const packages = () =>
    dpkgQuery(sharedPath('data', 'pkgdb', 'dpkg', 'trivy-ubuntu1804', 'var', 'lib', 'dpkg')).map((d) =>
      pkg({
        name: d.name,
        version: d.version,
        type: 'deb',
        source_name: d.source,
        source_version: d.sourceVersion,
        ecosystem: 'Ubuntu:18.04:LTS',
        purl: `pkg:deb/ubuntu/${d.name}@${d.version}?distro=ubuntu-18.04`,
      }),
    );

  it('e2fsprogs: one finding per binary built from it, CVE-2019-5094 headline, USN-4142-1 merged in', () => {
    const r = matchPackages(packages(), new MemVulnDb(ubuntu()));
    const e2fs = r.findings.filter((f) => f.id === 'CVE-2019-5094');
    expect(e2fs.map((f) => f.package).sort()).toEqual(['e2fsprogs', 'libcom-err2', 'libext2fs2', 'libss2']);
    for (const f of e2fs) {
      expect(f.aliases).toEqual(['UBUNTU-CVE-2019-5094', 'USN-4142-1']);
      expect(f.installed_version).toBe('1.44.1-1');
      expect(f.fixed_version).toBe('1.44.1-1ubuntu1.2');
      expect(dpkgTrue(f.installed_version, 'lt', f.fixed_version!)).toBe(true);
      // CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H = 6.7 (medium), from the CVE record, not Ubuntu's "medium" priority.
      expect(f).toMatchObject({
        severity: 'medium',
        score: 6.7,
        severity_source: 'CVSS_V3.1 vector from CVE-2019-5094',
      });
      expect(f.references.length).toBeGreaterThan(0);
    }
  });

  it('every (binary, vulnerability) equals dpkg --compare-versions over every range', () => {
    const pk = packages();
    const records = ubuntu();
    const r = matchPackages(pk, new MemVulnDb(records));
    const expected = expectedPairs(
      pk,
      records,
      'Ubuntu:18.04:LTS',
      (p) => ({ name: p.source_name, version: p.source_version }),
      dpkgGe,
      dpkgLt,
    );
    // The oracle works per record; the matcher merges aliases. Compare as (binary, record) pairs.
    const got = new Set<string>();
    for (const f of r.findings) {
      for (const id of [f.id, ...f.aliases]) if (records.some((x) => x.id === id)) got.add(`${f.package} ${id}`);
    }
    expect([...got].sort()).toEqual([...expected.keys()].sort());
    expect(r.findings.map((f) => `${f.package} ${f.id}`).sort()).toEqual(
      [
        'apt CVE-2020-3810',
        'dpkg CVE-2022-1664',
        'e2fsprogs CVE-2019-5094',
        'libapt-pkg5.0 CVE-2020-3810',
        'libcom-err2 CVE-2019-5094',
        'libext2fs2 CVE-2019-5094',
        'libss2 CVE-2019-5094',
      ].sort(),
    );
    // USN-5446-1 carries its CVE's CVSS in database_specific.cves_map: 9.8 critical.
    expect(r.findings.find((f) => f.package === 'dpkg')).toMatchObject({
      severity: 'critical',
      score: 9.8,
      severity_source: 'CVSS_V3.1 vector from USN-5446-1 (CVE-2022-1664)',
      fixed_version: '1.19.0.5ubuntu2.4',
    });
    // USN-4359-1 has no rating at all: unknown, never low.
    expect(r.findings.find((f) => f.package === 'apt')).toMatchObject({
      severity: 'unknown',
      severity_source: null,
      score: null,
    });
    expect(r.unparsable).toEqual([]);
  });
});

describe.runIf(haveShared())('Debian 12 (dpkg) against the bookworm changelog records', () => {
  it('debian-bookworm.oci.tar through the product reader = dpkg-query + dpkg --compare-versions', async () => {
    const archive = sharedPath('images', 'debian-bookworm.oci.tar');
    const { packages, os } = await imagePackages(archive);
    expect(os?.ecosystem).toBe('Debian:12');
    const records = zipRecords('Debian/bookworm-changelog.zip');
    expect(records).toHaveLength(15);
    const r = matchPackages(packages, new MemVulnDb(records));

    const root = extractWanted(archive, ['var/lib/dpkg/status']);
    try {
      const truth = dpkgQuery(join(root, 'var/lib/dpkg')).map((d) =>
        pkg({ name: d.name, version: d.version, type: 'deb', source_name: d.source, source_version: d.sourceVersion }),
      );
      expect(truth.length).toBe(packages.length);
      const expected = expectedPairs(
        truth,
        records,
        'Debian:12',
        (p) => ({ name: p.source_name, version: p.source_version }),
        dpkgGe,
        dpkgLt,
      );
      expect(r.findings.map((f) => `${f.package} DEBIAN-${f.id}`).sort()).toEqual([...expected.keys()].sort());
      for (const f of r.findings) expect(f.fixed_version).toBe(expected.get(`${f.package} DEBIAN-${f.id}`)!.fixed[0]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    // What the data's README says: apt (2 binaries) 1 CVE, pcre2 1, perl-base 13, xz-utils none.
    const count = (p: string) => r.findings.filter((f) => f.package === p).length;
    expect([
      count('apt'),
      count('libapt-pkg6.0'),
      count('libpcre2-8-0'),
      count('perl-base'),
      count('liblzma5'),
    ]).toEqual([1, 1, 1, 13, 0]);
    expect(r.findings).toHaveLength(16);
    const perl = r.findings.find((f) => f.package === 'perl-base')!;
    expect(perl.aliases).toEqual([`DEBIAN-${perl.id}`]);
    expect(perl.installed_version).toBe('5.36.0-7+deb12u3');
    expect(perl.layer).not.toBeNull();
    expect(perl.location).toBe('var/lib/dpkg/status');
    // Changelog urgency is an upload priority, not a rating: unknown.
    expect(perl.severity).toBe('unknown');
  });

  it('the 767-package Debian 12 status file (binNMUs, epochs only the binary has) = the dpkg oracle', () => {
    const admindir = sharedPath('data', 'pkgdb', 'dpkg', 'debian12-bookworm-767', 'var', 'lib', 'dpkg');
    const packages = dpkgQuery(admindir).map((d) =>
      pkg({
        name: d.name,
        version: d.version,
        type: 'deb',
        source_name: d.source,
        source_version: d.sourceVersion,
        ecosystem: 'Debian:12',
      }),
    );
    expect(packages.length).toBe(767);
    const records = zipRecords('Debian/bookworm-changelog.zip');
    const r = matchPackages(packages, new MemVulnDb(records));
    const expected = expectedPairs(
      packages,
      records,
      'Debian:12',
      (p) => ({ name: p.source_name, version: p.source_version }),
      dpkgGe,
      dpkgLt,
    );
    expect(r.findings.map((f) => `${f.package} DEBIAN-${f.id}`).sort()).toEqual([...expected.keys()].sort());
    expect(new Set(r.findings.map((f) => f.package))).toEqual(
      new Set([
        'apt',
        'apt-transport-https',
        'libapt-pkg6.0',
        'libpcre2-8-0',
        'libperl5.36',
        'perl',
        'perl-base',
        'perl-modules-5.36',
      ]),
    );
  });

  it('SEMANTICS (hand-made records on real packages): the source version decides, not the binary one', () => {
    const admindir = sharedPath('data', 'pkgdb', 'dpkg', 'debian12-bookworm-767', 'var', 'lib', 'dpkg');
    const packages = dpkgQuery(admindir)
      .filter((d) => ['bsdutils', 'cpp', 'bash'].includes(d.name))
      .map((d) =>
        pkg({
          name: d.name,
          version: d.version,
          type: 'deb',
          source_name: d.source,
          source_version: d.sourceVersion,
          ecosystem: 'Debian:12',
        }),
      );
    expect(packages.map((p) => `${p.name} ${p.version} ${p.source_name} ${p.source_version}`).sort()).toEqual([
      'bash 5.2.15-2+b8 bash 5.2.15-2',
      'bsdutils 1:2.38.1-5+deb12u3 util-linux 2.38.1-5+deb12u3',
      'cpp 4:12.2.0-3 gcc-defaults 1.203',
    ]);
    // Hypothetical fixes one upload after each installed source version.
    const fix = (id: string, name: string, fixed: string): OsvRecord => ({
      id,
      modified: '2024-01-01T00:00:00Z',
      upstream: [],
      affected: [
        {
          package: { ecosystem: 'Debian:12', name },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
        },
      ],
    });
    const recs = [
      fix('SEMANTICS-UTIL-LINUX', 'util-linux', '2.38.1-5+deb12u4'),
      fix('SEMANTICS-GCC-DEFAULTS', 'gcc-defaults', '1.204'),
      fix('SEMANTICS-BASH', 'bash', '5.2.15-2+deb12u1'),
    ];
    // dpkg agrees the binary versions would hide all three: 1:… > any epoch-0 version, 4:12.2.0-3 > 1.204.
    expect(dpkgTrue('1:2.38.1-5+deb12u3', 'gt', '2.38.1-5+deb12u4')).toBe(true);
    expect(dpkgTrue('4:12.2.0-3', 'gt', '1.204')).toBe(true);
    const r = matchPackages(packages, new MemVulnDb(recs));
    expect(r.findings.map((f) => `${f.package} ${f.installed_version} ${f.id} ${f.fixed_version}`).sort()).toEqual([
      'bash 5.2.15-2+b8 SEMANTICS-BASH 5.2.15-2+deb12u1',
      'bsdutils 1:2.38.1-5+deb12u3 SEMANTICS-UTIL-LINUX 2.38.1-5+deb12u4',
      'cpp 4:12.2.0-3 SEMANTICS-GCC-DEFAULTS 1.204',
    ]);
  });

  it("a DLA and a DSA naming the same CVE merge; the DSA's other CVEs stay separate findings (real Debian 6 records)", () => {
    const dla = zipRecord('Debian/all.zip', 'DLA-0019-1.json');
    const dsa = zipRecord('Debian/all.zip', 'DSA-2864-1.json');
    const db = new MemVulnDb([dla, dsa]);
    const at = (version: string) =>
      matchPackages([pkg({ name: 'postgresql-8.4', version, type: 'deb', ecosystem: 'Debian:6' })], db).findings;
    // At the DSA's fixed version only the DLA (fixed later for CVE-2014-0067) applies.
    expect(at('8.4.20-0squeeze1').map((f) => [f.id, f.aliases.join(','), f.fixed_version])).toEqual([
      ['CVE-2014-0067', 'DLA-0019-1', '8.4.22-0+deb6u1'],
    ]);
    // Below both: one finding per CVE of the DSA; CVE-2014-0067 lists both advisories and takes the fix that clears both.
    const both = at('8.4.19-0squeeze1');
    expect(both.map((f) => f.id)).toEqual([
      'CVE-2014-0060',
      'CVE-2014-0061',
      'CVE-2014-0062',
      'CVE-2014-0063',
      'CVE-2014-0064',
      'CVE-2014-0065',
      'CVE-2014-0066',
      'CVE-2014-0067',
    ]);
    const c67 = both.find((f) => f.id === 'CVE-2014-0067')!;
    expect(c67.aliases).toEqual(['DLA-0019-1', 'DSA-2864-1']);
    expect(c67.fixed_version).toBe('8.4.22-0+deb6u1');
    expect(dpkgTrue('8.4.22-0+deb6u1', 'gt', '8.4.20-0squeeze1')).toBe(true);
    expect(both.find((f) => f.id === 'CVE-2014-0060')!).toMatchObject({
      aliases: ['DSA-2864-1'],
      fixed_version: '8.4.20-0squeeze1',
    });
  });
});

describe.runIf(haveShared())('RPM: binary name, binary EVR with epoch', () => {
  it.runIf(haveOracle('rpm'))(
    'rpm-rocky9.docker.tar packages (labelled AlmaLinux:9 here: no Rocky data in shared) = rpm.vercmp',
    async () => {
      const { packages, os } = await imagePackages(sharedPath('images', 'rpm-rocky9.docker.tar'));
      expect(os?.ecosystem).toBe('Rocky Linux:9');
      const alma = packages.map((p) => ({ ...p, ecosystem: 'AlmaLinux:9' }));
      const ssl = alma.find((p) => p.name === 'openssl-libs')!;
      expect(ssl.version).toBe('1:3.0.7-24.el9'); // epoch 1 from the rpmdb
      const records = zipRecords(
        'AlmaLinux/all.zip',
        (r) => r.affected?.some((a) => a.package?.ecosystem === 'AlmaLinux:9') ?? false,
      );
      const r = matchPackages(alma, new MemVulnDb(records));
      // Oracle: rpm.vercmp over every (package, interval) of every record naming the binary package.
      const pairs: [string, string][] = [];
      const plan: { p: string; rec: OsvRecord; intro: string; fix: string | undefined }[] = [];
      for (const p of alma) {
        for (const rec of records) {
          for (const a of rec.affected ?? []) {
            if (a.package?.ecosystem !== 'AlmaLinux:9' || a.package.name !== p.name) continue;
            for (const range of a.ranges ?? []) {
              const intro = range.events[0]!.introduced!;
              const fix = range.events[1]?.fixed;
              expect(intro).toBe('0');
              plan.push({ p: p.name, rec, intro, fix });
              if (fix) pairs.push([p.version, fix]);
            }
          }
        }
      }
      const answers = rpmVercmp(pairs);
      let i = 0;
      const expected = new Map<string, string>();
      for (const step of plan) {
        const affected = step.fix === undefined ? true : answers[i++]! < 0;
        if (affected) expected.set(`${step.p} ${step.rec.id}`, step.fix ?? 'null');
      }
      expect(plan.length).toBeGreaterThan(10);
      expect(r.findings.map((f) => `${f.package} ${f.id}`).sort()).toEqual([...expected.keys()].sort());
      for (const f of r.findings) expect(f.fixed_version).toBe(expected.get(`${f.package} ${f.id}`));
      // By hand: 1:3.0.7-24.el9 is below ALSA-2024:0310's 1:3.0.7-25.el9_3 and above ALSA-2023:3722's 1:3.0.7-16.el9_2.
      const sslIds = new Set(r.findings.filter((f) => f.package === 'openssl-libs').map((f) => f.id));
      expect(sslIds.has('ALSA-2024:0310')).toBe(true);
      expect(sslIds.has('ALSA-2023:3722')).toBe(false);
      // The epoch matters: without it every epoch-1 fix would look newer (rpm says so too).
      expect(
        rpmVercmp([
          ['3.0.7-24.el9', '1:3.0.1-41.el9_0'],
          ['0:1.2.11-40.el9', '1.2.11-40.el9'],
        ]),
      ).toEqual([-1, 0]);
      const noEpoch = matchPackages([{ ...ssl, version: '3.0.7-24.el9' }], new MemVulnDb(records)).findings;
      expect(noEpoch.length).toBeGreaterThan(sslIds.size);
      // ALSA severity from the advisory's own rating ("Moderate:" → medium), no CVSS in these records.
      expect(r.findings.find((f) => f.id === 'ALSA-2024:0310')).toMatchObject({
        severity: 'medium',
        severity_source: 'AlmaLinux advisory severity from ALSA-2024:0310',
      });
    },
  );
});
