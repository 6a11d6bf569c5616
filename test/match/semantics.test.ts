/**
 * OSV evaluation rules (https://ossf.github.io/osv-schema/#evaluation), on real records where the shared data
 * has the case (withdrawn, last_affected, versions lists, several introduced/fixed pairs, GIT ranges, a
 * record labelled for another ecosystem), and on minimal HAND-MADE records only where it has none (`limit`,
 * events out of order, unparsable versions, unknown ecosystems): those test the evaluation rules, not data,
 * and are marked SEMANTICS below.
 */
import { describe, expect, it } from 'vitest';
import { matchPackages } from '../../src/match/match.js';
import type { Package } from '../../src/model/report.js';
import type { OsvRecord } from '../../src/vulndb/types.js';
import { haveShared } from '../helpers/shared.js';
import { pkg } from './helpers.js';
import { looseRecord, MemVulnDb, zipRecord } from './mem-db.js';

function run(records: OsvRecord[], packages: Package[], now?: Date) {
  return matchPackages(packages, new MemVulnDb(records), now ? { now } : {});
}

function ids(r: ReturnType<typeof run>): string[] {
  return r.findings.map((f) => `${f.package}@${f.installed_version} ${f.id} fixed=${f.fixed_version}`).sort();
}

describe.runIf(haveShared())('OSV evaluation on real records', () => {
  it('withdrawn records match nothing (GO-2022-0617, PYSEC-2022-43059), unless `now` is before the withdrawal', () => {
    const go = zipRecord('Go/all.zip', 'GO-2022-0617.json');
    const py = zipRecord('PyPI/all.zip', 'PYSEC-2022-43059.json');
    expect(go.withdrawn).toBeTruthy();
    expect(py.withdrawn).toBeTruthy();
    const pkgs = [
      pkg({ name: 'k8s.io/kubernetes', version: 'v1.20.0', type: 'golang' }),
      pkg({ name: 'aiohttp', version: '3.8.1', type: 'pypi' }),
    ];
    const r = run([go, py], pkgs);
    expect(r.findings).toEqual([]);
    expect(r.unparsable).toEqual([]);
    // The same records before they were withdrawn: both ranges start at "0" (and 3.8.1 is in aiohttp's list).
    const before = run([go, py], pkgs, new Date('2023-01-01T00:00:00Z'));
    expect(ids(before)).toEqual([
      'aiohttp@3.8.1 CVE-2022-33124 fixed=null',
      'k8s.io/kubernetes@v1.20.0 CVE-2020-8562 fixed=null',
    ]);
  });

  it('last_affected includes the bound and reports no fix (PYSEC-2022-42969 py, FRIENDSOFPHP amphp/http)', () => {
    const py = zipRecord('PyPI/all.zip', 'PYSEC-2022-42969.json');
    const php = zipRecord('Packagist/all.zip', 'FRIENDSOFPHP-amphp-http-CVE-2024-2653.json');
    const r = run(
      [py, php],
      [
        pkg({ name: 'py', version: '1.11.0', type: 'pypi' }), // = last_affected: affected
        pkg({ name: 'py', version: '1.8.0', type: 'pypi' }), // real Pipfile.lock version (trivy-ci-test)
        pkg({ name: 'py', version: '1.11.1', type: 'pypi' }), // above: not affected
        pkg({ name: 'amphp/http', version: 'v2.1.0', type: 'composer' }), // second range's bound
        pkg({ name: 'amphp/http', version: '2.1.1', type: 'composer' }),
        pkg({ name: 'amphp/http', version: '1.7.2', type: 'composer' }),
        pkg({ name: 'amphp/http', version: '1.7.3', type: 'composer' }), // between the two ranges
      ],
    );
    expect(ids(r)).toEqual([
      'amphp/http@1.7.2 CVE-2024-2653 fixed=null',
      'amphp/http@v2.1.0 CVE-2024-2653 fixed=null',
      'py@1.11.0 CVE-2022-42969 fixed=null',
      'py@1.8.0 CVE-2022-42969 fixed=null',
    ]);
    expect(r.findings.find((f) => f.package === 'py')!.aliases).toEqual(['GHSA-w596-4wvx-j9j6', 'PYSEC-2022-42969']);
  });

  it('versions lists: a listed version is affected even with no range (GHSA-c4r9-r8fh-9vj2, Maven)', () => {
    const rec = zipRecord('Maven/all.zip', 'GHSA-c4r9-r8fh-9vj2.json');
    const r = run(
      [rec],
      [
        pkg({ name: 'be.cylab:snakeyaml', version: '1.25.1', type: 'maven' }), // versions only, no ranges
        pkg({ name: 'be.cylab:snakeyaml', version: '1.25.2', type: 'maven' }), // not listed
        pkg({ name: 'pl.droidsonroids.yaml:snakeyaml', version: '1.18-android', type: 'maven' }), // listed, and in range
        pkg({ name: 'pl.droidsonroids.yaml:snakeyaml', version: '1.18.2', type: 'maven' }), // last_affected
        pkg({ name: 'pl.droidsonroids.yaml:snakeyaml', version: '1.18.3', type: 'maven' }),
        pkg({ name: 'org.yaml:snakeyaml', version: '1.30', type: 'maven' }),
        pkg({ name: 'org.yaml:snakeyaml', version: '1.31', type: 'maven' }),
      ],
    );
    expect(ids(r)).toEqual([
      'be.cylab:snakeyaml@1.25.1 CVE-2022-38749 fixed=null',
      'org.yaml:snakeyaml@1.30 CVE-2022-38749 fixed=1.31',
      'pl.droidsonroids.yaml:snakeyaml@1.18-android CVE-2022-38749 fixed=null',
      'pl.droidsonroids.yaml:snakeyaml@1.18.2 CVE-2022-38749 fixed=null',
    ]);
  });

  it('several introduced/fixed pairs in one range, GIT ranges ignored (PYSEC-2021-335 accesscontrol)', () => {
    const rec = zipRecord('PyPI/all.zip', 'PYSEC-2021-335.json');
    expect(rec.affected![0]!.ranges!.some((r) => r.type === 'GIT')).toBe(true);
    const versions = ['3.0', '4.0', '4.2', '4.3', '4.9', '5.1', '5.2', '6.0'];
    const r = run(
      [rec],
      versions.map((v) => pkg({ name: 'AccessControl', version: v, type: 'pypi' })),
    );
    expect(ids(r)).toEqual([
      'AccessControl@4.0 CVE-2021-32807 fixed=4.3',
      'AccessControl@4.2 CVE-2021-32807 fixed=4.3',
      'AccessControl@5.1 CVE-2021-32807 fixed=5.2',
    ]);
  });

  it('SEMVER pairs with a pre-release introduced (GO-2021-0068 toolchain)', () => {
    const rec = zipRecord('Go/all.zip', 'GO-2021-0068.json');
    const versions = ['go1.14.13', 'go1.14.14', 'go1.15', 'go1.15.6', 'go1.15.7', 'go1.16'];
    const r = run(
      [rec],
      versions.map((v) => pkg({ name: 'toolchain', version: v, type: 'golang' })),
    );
    expect(ids(r)).toEqual([
      'toolchain@go1.14.13 CVE-2021-3115 fixed=1.14.14',
      'toolchain@go1.15 CVE-2021-3115 fixed=1.15.7',
      'toolchain@go1.15.6 CVE-2021-3115 fixed=1.15.7',
    ]);
  });

  it('a record whose package is labelled for another ecosystem matches nothing in npm (GHSA-j8xg-fqg3-53r7)', () => {
    const rec = looseRecord('npm/extra/GHSA-j8xg-fqg3-53r7.json');
    expect(rec.affected![0]!.package!.ecosystem).not.toBe('npm');
    const name = rec.affected![0]!.package!.name;
    const r = run(
      [rec],
      [pkg({ name, version: '1.2.3', type: 'npm' }), pkg({ name, version: '1.2.3', type: 'npm', ecosystem: 'npm' })],
    );
    expect(r.findings).toEqual([]);
    // The matcher also refuses entries of another ecosystem that a store returns for the name.
    const leaky = new MemVulnDb([rec]);
    const lookup = leaky.lookup.bind(leaky);
    leaky.lookup = (_eco, n) => lookup(rec.affected![0]!.package!.ecosystem, n);
    expect(matchPackages([pkg({ name, version: '1.2.3', type: 'npm' })], leaky).findings).toEqual([]);
  });

  it('one record naming one package in several affected entries gives one finding (GHSA-93q8-gq69-wqmw ansi-regex)', () => {
    const rec = looseRecord('npm/extra/GHSA-93q8-gq69-wqmw.json');
    const r = run(
      [rec],
      ['3.0.0', '4.1.0', '4.1.1', '5.0.0', '6.0.0', '6.0.1', '2.1.1'].map((v) =>
        pkg({ name: 'ansi-regex', version: v, type: 'npm' }),
      ),
    );
    expect(ids(r)).toEqual([
      'ansi-regex@3.0.0 CVE-2021-3807 fixed=3.0.1',
      'ansi-regex@4.1.0 CVE-2021-3807 fixed=4.1.1',
      'ansi-regex@5.0.0 CVE-2021-3807 fixed=5.0.1',
      'ansi-regex@6.0.0 CVE-2021-3807 fixed=6.0.1',
    ]);
  });
});

// ---- SEMANTICS: hand-made minimal records (no such case in the shared data). Not data, only rules.
function semantics(
  id: string,
  ecosystem: string,
  name: string,
  ranges: OsvRecord['affected'] extends (infer A)[] | undefined ? A : never,
): OsvRecord {
  return { id, modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem, name }, ...ranges }] };
}

describe('OSV evaluation: SEMANTICS (hand-made records)', () => {
  const npm = (v: string) => pkg({ name: 'semantics-pkg', version: v, type: 'npm' });

  it('limit: only versions below a limit can be affected; "*" is no limit', () => {
    const rec = semantics('SEMANTICS-LIMIT', 'npm', 'semantics-pkg', {
      ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { limit: '2.0.0' }] }],
    });
    const star = semantics('SEMANTICS-LIMIT-STAR', 'npm', 'semantics-pkg', {
      ranges: [{ type: 'SEMVER', events: [{ introduced: '3.0.0' }, { limit: '*' }] }],
    });
    const r = run([rec, star], ['0.9.0', '1.0.0', '1.9.9', '2.0.0', '3.1.0'].map(npm));
    expect(ids(r)).toEqual([
      'semantics-pkg@1.0.0 SEMANTICS-LIMIT fixed=null',
      'semantics-pkg@1.9.9 SEMANTICS-LIMIT fixed=null',
      'semantics-pkg@3.1.0 SEMANTICS-LIMIT-STAR fixed=null',
    ]);
  });

  it('events are sorted by version before the walk; the lowest fixed above the version is reported', () => {
    const rec = semantics('SEMANTICS-ORDER', 'npm', 'semantics-pkg', {
      ranges: [
        {
          type: 'ECOSYSTEM',
          events: [{ fixed: '2.0.0' }, { introduced: '1.5.0' }, { fixed: '1.2.0' }, { introduced: '0' }],
        },
        { type: 'ECOSYSTEM', events: [{ introduced: '1.0.0' }, { fixed: '1.8.0' }] },
      ],
    });
    const r = run([rec], ['1.1.0', '1.3.0', '1.6.0', '1.9.0', '2.0.0'].map(npm));
    // [0,1.2.0) ∪ [1.5.0,2.0.0) ∪ [1.0.0,1.8.0): 1.1.0 is in two ranges (fixes 1.2.0, 1.8.0 and 2.0.0 above it
    // in them): lowest 1.2.0. 1.3.0 only in the second range.
    expect(ids(r)).toEqual([
      'semantics-pkg@1.1.0 SEMANTICS-ORDER fixed=1.2.0',
      'semantics-pkg@1.3.0 SEMANTICS-ORDER fixed=1.8.0',
      'semantics-pkg@1.6.0 SEMANTICS-ORDER fixed=1.8.0',
      'semantics-pkg@1.9.0 SEMANTICS-ORDER fixed=2.0.0',
    ]);
  });

  it('an unparsable installed or advisory version is counted, never "not affected"', () => {
    const rec = semantics('SEMANTICS-UNPARSABLE', 'npm', 'semantics-pkg', {
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }],
    });
    const bad = semantics('SEMANTICS-BAD-FIX', 'npm', 'semantics-pkg', {
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: 'not a version' }] }],
    });
    const r = run([rec, bad], [npm('latest-and-greatest'), npm('0.5.0')]);
    expect(ids(r)).toEqual(['semantics-pkg@0.5.0 SEMANTICS-UNPARSABLE fixed=1.0.0']);
    expect(r.unparsable.map((u) => `${u.version} ${u.advisory}`)).toEqual([
      '0.5.0 SEMANTICS-BAD-FIX',
      'latest-and-greatest SEMANTICS-BAD-FIX',
      'latest-and-greatest SEMANTICS-UNPARSABLE',
    ]);
    expect(r.unparsable.find((u) => u.version === '0.5.0')!.message).toMatch(/advisory version "not a version"/);
    expect(r.unparsable.find((u) => u.advisory === 'SEMANTICS-UNPARSABLE')!.message).toMatch(
      /installed binary version "latest-and-greatest"/,
    );
  });

  it('an unparsable range does not hide another range or the versions list that says affected', () => {
    const rec = semantics('SEMANTICS-MIXED', 'npm', 'semantics-pkg', {
      ranges: [
        { type: 'ECOSYSTEM', events: [{ introduced: 'garbage' }] },
        { type: 'ECOSYSTEM', events: [{ introduced: '1.0.0' }, { fixed: '1.1.0' }] },
      ],
      versions: ['2.0.0'],
    });
    const r = run([rec], [npm('1.0.5'), npm('2.0.0'), npm('3.0.0')]);
    expect(ids(r)).toEqual([
      'semantics-pkg@1.0.5 SEMANTICS-MIXED fixed=1.1.0',
      'semantics-pkg@2.0.0 SEMANTICS-MIXED fixed=null',
    ]);
    expect(r.unparsable.map((u) => u.version)).toEqual(['3.0.0']);
  });

  it('an ecosystem without a version scheme is listed, not silently clean', () => {
    const rec = semantics('SEMANTICS-UNKNOWN', 'Hackage', 'semantics-pkg', {
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }],
    });
    const r = run([rec], [pkg({ name: 'semantics-pkg', version: '1.0', type: 'npm', ecosystem: 'Hackage' })]);
    expect(r.findings).toEqual([]);
    expect(r.unknownEcosystems).toEqual(['Hackage']);
  });

  it('a SEMVER range in an ecosystem of another scheme uses SemVer precedence', () => {
    const rec = semantics('SEMANTICS-SEMVER', 'PyPI', 'semantics-pkg', {
      ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0-rc.1' }, { fixed: '1.0.0' }] }],
    });
    const r = run(
      [rec],
      ['1.0.0-rc.2', '1.0.0', '0.9.0'].map((v) => pkg({ name: 'Semantics_Pkg', version: v, type: 'pypi' })),
    );
    expect(ids(r)).toEqual(['Semantics_Pkg@1.0.0-rc.2 SEMANTICS-SEMVER fixed=1.0.0']);
  });
});
