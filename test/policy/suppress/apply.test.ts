import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Package } from '../../../src/model/report.js';
import type { IgnoreEntry, VexStatement } from '../../../src/policy/suppress/index.js';
import {
  applySuppressions,
  loadIgnoreFile,
  loadVexDocument,
  parsePurl,
  purlMatches,
} from '../../../src/policy/suppress/index.js';
import { decideVerdict } from '../../../src/policy/verdict.js';
import { haveShared, sharedPath } from '../../helpers/shared.js';
import { alpineMusl, debianPackages, FIXTURES, findingsFor, npmSemver, record } from './helpers.js';

const SRC = '.scanrook-ignore.yaml';
const ignore = (yaml: string): IgnoreEntry[] => {
  const r = loadIgnoreFile(yaml, SRC);
  expect(r.problems).toEqual([]);
  return r.entries;
};
const vexOf = (text: string, source = 'vex/openvex.json'): VexStatement[] => {
  const r = loadVexDocument(text, source);
  expect(r.problems).toEqual([]);
  return r.statements;
};
const openvex = (statements: unknown[], timestamp = '2024-05-01T10:00:00Z') =>
  JSON.stringify({
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'https://example.invalid/vex/1',
    author: 'Platform Security',
    timestamp,
    version: 1,
    statements,
  });

describe.runIf(haveShared())('applySuppressions on real records and packages', () => {
  let musl: Package;
  let semver: Package;
  let deb: Package[];
  let muslF: Finding[];
  let semverF: Finding[];
  let perlF: Finding[];
  let sslF: Finding[];
  let all: Finding[];
  beforeAll(() => {
    musl = alpineMusl();
    semver = npmSemver();
    deb = debianPackages(['perl-base', 'libssl3', 'openssl']);
    muslF = findingsFor(record(join(FIXTURES, 'osv', 'ALPINE-CVE-2019-14697.json')), musl);
    semverF = findingsFor(record(sharedPath('data', 'osv', 'npm', 'extra', 'GHSA-c2qf-rxjj-qqgw.json')), semver);
    perlF = findingsFor(
      record(sharedPath('data', 'osv', 'Debian', 'bookworm-changelog', 'DEBIAN-CVE-2025-15649.json')),
      deb[0]!,
    );
    // DSA-5343-1 (Debian 11) is used for its ids only: one DSA, five upstream CVEs, so five findings per package.
    const dsa = record(join(FIXTURES, 'osv', 'DSA-5343-1.json'));
    sslF = [...findingsFor(dsa, deb[1]!), ...findingsFor(dsa, deb[2]!)];
    all = [...muslF, ...semverF, ...perlF, ...sslF];
  });
  const ctx = () => ({ packages: [musl, semver, ...deb] });

  it('real ids: headline CVE with the advisory ids as aliases', () => {
    expect(muslF.map((f) => [f.id, f.aliases, f.purl])).toEqual([
      ['CVE-2019-14697', ['ALPINE-CVE-2019-14697'], 'pkg:apk/alpine/musl@1.1.14-r10?arch=x86_64&distro=alpine-3.4.6'],
    ]);
    expect(semverF.map((f) => [f.id, f.aliases])).toEqual([['CVE-2022-25883', ['GHSA-c2qf-rxjj-qqgw']]]);
    expect(sslF.map((f) => f.id)).toEqual([
      'CVE-2022-2097',
      'CVE-2022-4304',
      'CVE-2022-4450',
      'CVE-2023-0215',
      'CVE-2023-0286',
      'CVE-2022-2097',
      'CVE-2022-4304',
      'CVE-2022-4450',
      'CVE-2023-0215',
      'CVE-2023-0286',
    ]);
    expect(sslF[0]!.aliases).toEqual(['DSA-5343-1']);
    expect(deb[1]).toMatchObject({
      name: 'libssl3',
      source_name: 'openssl',
      purl: 'pkg:deb/debian/libssl3@3.0.19-1~deb12u2?arch=amd64&distro=debian-12',
    });
  });

  it('an ignore by GHSA id suppresses the finding headlined by its CVE; the list keeps order and length', () => {
    const r = applySuppressions(
      all,
      {
        ignore: ignore('ignore:\n  - id: ghsa-c2qf-rxjj-qqgw\n    reason: semver is only in the build stage\n'),
        vex: [],
      },
      new Date('2025-01-01T00:00:00Z'),
      ctx(),
    );
    expect(r.findings.map((f) => f.id)).toEqual(all.map((f) => f.id));
    expect(r.findings.filter((f) => f.suppressed).map((f) => [f.id, f.suppressed])).toEqual([
      [
        'CVE-2022-25883',
        { by: 'ignore-file:.scanrook-ignore.yaml#1', justification: 'semver is only in the build stage' },
      ],
    ]);
    expect(r.counts).toEqual({ ignoreFile: 1, vex: 0 });
    expect(all.every((f) => f.suppressed === undefined)).toBe(true); // input untouched
  });

  it('a DSA id suppresses every CVE it bundles; `package` narrows to one binary package', () => {
    const r = applySuppressions(
      all,
      { ignore: ignore('ignore:\n  - id: DSA-5343-1\n    package: libssl3\n    reason: accepted\n'), vex: [] },
      new Date(),
      ctx(),
    );
    expect(r.findings.filter((f) => f.suppressed).map((f) => `${f.package} ${f.id}`)).toEqual(
      sslF.slice(0, 5).map((f) => `libssl3 ${f.id}`),
    );
  });

  it('`package` also names the source package (libssl3 and openssl are both built from openssl)', () => {
    const r = applySuppressions(
      all,
      {
        ignore: ignore(
          'ignore:\n  - {id: CVE-2023-0286, package: openssl, reason: x}\n  - {id: CVE-2025-15649, package: perl, reason: y}\n',
        ),
        vex: [],
      },
      new Date(),
      ctx(),
    );
    expect(r.findings.filter((f) => f.suppressed).map((f) => `${f.package} ${f.id}`)).toEqual([
      'perl-base CVE-2025-15649',
      'libssl3 CVE-2023-0286',
      'openssl CVE-2023-0286',
    ]);
    // Without the inventory only the binary name is known.
    const bare = applySuppressions(
      all,
      { ignore: ignore('ignore:\n  - {id: CVE-2025-15649, package: perl, reason: y}\n'), vex: [] },
      new Date(),
    );
    expect(bare.findings.some((f) => f.suppressed)).toBe(false);
    expect(bare.unused).toHaveLength(1);
  });

  it('purl rule: no version = every version; version, qualifiers narrow; never a string prefix', () => {
    const run = (p: string) =>
      applySuppressions(
        all,
        { ignore: ignore(`ignore:\n  - {id: CVE-2019-14697, purl: "${p}", reason: x}\n`), vex: [] },
        new Date(),
        ctx(),
      ).counts.ignoreFile;
    expect(run('pkg:apk/alpine/musl')).toBe(1);
    expect(run('pkg:apk/alpine/musl@1.1.14-r10')).toBe(1);
    expect(run('pkg:apk/alpine/musl@1.1.14-r10?arch=x86_64')).toBe(1);
    expect(run('pkg:apk/alpine/MUSL?arch=x86_64')).toBe(1);
    expect(run('pkg:apk/alpine/musl@1.1.14-r9')).toBe(0);
    expect(run('pkg:apk/alpine/musl?arch=aarch64')).toBe(0);
    expect(run('pkg:apk/alpine/mus')).toBe(0);
    expect(run('pkg:apk/wolfi/musl')).toBe(0);
    expect(run('pkg:deb/debian/musl')).toBe(0);
  });

  it('expiry: suppresses through the expires day (UTC), stops at the next midnight, and is reported', () => {
    const rules = {
      ignore: ignore('ignore:\n  - {id: CVE-2019-14697, reason: i386 only, expires: 2025-06-30}\n'),
      vex: [],
    };
    const last = applySuppressions(all, rules, new Date('2025-06-30T23:59:59.999Z'), ctx());
    expect(last.findings.find((f) => f.id === 'CVE-2019-14697')!.suppressed).toEqual({
      by: 'ignore-file:.scanrook-ignore.yaml#1',
      justification: 'i386 only (until 2025-06-30)',
    });
    expect(last.expired).toEqual([]);
    const next = applySuppressions(all, rules, new Date('2025-07-01T00:00:00.000Z'), ctx());
    expect(next.findings.find((f) => f.id === 'CVE-2019-14697')!.suppressed).toBeUndefined();
    expect(next.expired).toEqual([{ entry: rules.ignore[0], source: SRC, matched: 1 }]);
    expect(next.unused).toEqual([]);
  });

  it('a later entry still suppresses when an earlier matching one expired', () => {
    const rules = {
      ignore: ignore(
        'ignore:\n  - {id: CVE-2022-25883, reason: old, expires: 2020-01-01}\n  - {id: GHSA-c2qf-rxjj-qqgw, reason: new}\n',
      ),
      vex: [],
    };
    const r = applySuppressions(all, rules, new Date('2025-01-01T00:00:00Z'), ctx());
    expect(r.findings.find((f) => f.id === 'CVE-2022-25883')!.suppressed!.by).toBe(
      'ignore-file:.scanrook-ignore.yaml#2',
    );
    expect(r.expired.map((e) => e.entry.index)).toEqual([1]);
  });

  it('unused entries are reported (a stale or mistyped id)', () => {
    const r = applySuppressions(
      all,
      { ignore: ignore('ignore:\n  - {id: CVE-2019-14698, reason: typo}\n'), vex: [] },
      new Date(),
      ctx(),
    );
    expect(r.unused.map((u) => u.kind === 'ignore-file' && u.entry.id)).toEqual(['CVE-2019-14698']);
  });

  it('VEX not_affected by purl: justification and impact statement shown; affected does not suppress', () => {
    const statements = vexOf(
      openvex([
        {
          vulnerability: { name: 'CVE-2019-14697', aliases: ['ALPINE-CVE-2019-14697'] },
          products: [{ '@id': 'pkg:apk/alpine/musl' }],
          status: 'not_affected',
          justification: 'vulnerable_code_not_in_execute_path',
          impact_statement: 'the x87 code path is only built for i386',
        },
        {
          vulnerability: { name: 'CVE-2022-25883' },
          products: [{ '@id': 'pkg:npm/semver@7.3.5' }],
          status: 'affected',
          action_statement: 'upgrade to 7.5.2',
        },
      ]),
    );
    const r = applySuppressions(all, { ignore: [], vex: statements }, new Date(), ctx());
    expect(r.findings.filter((f) => f.suppressed).map((f) => [f.id, f.suppressed])).toEqual([
      [
        'CVE-2019-14697',
        {
          by: 'vex:vex/openvex.json',
          justification: 'not_affected (vulnerable_code_not_in_execute_path): the x87 code path is only built for i386',
        },
      ],
    ]);
    expect(r.unused).toEqual([]); // the affected statement matched, it just does not suppress
    expect(
      decideVerdict({ status: 'done', reasons: [], findings: r.findings.map((f) => ({ ...f, fixed_version: '1' })) })
        .gating,
    ).toBe(all.length - 1);
  });

  it('VEX version awareness: a product with a version matches only that version', () => {
    const st = (p: string) =>
      vexOf(openvex([{ vulnerability: { name: 'CVE-2022-25883' }, products: [{ '@id': p }], status: 'fixed' }]));
    expect(applySuppressions(all, { ignore: [], vex: st('pkg:npm/semver@7.3.5') }, new Date(), ctx()).counts.vex).toBe(
      1,
    );
    expect(applySuppressions(all, { ignore: [], vex: st('pkg:npm/semver@7.5.2') }, new Date(), ctx()).counts.vex).toBe(
      0,
    );
    expect(applySuppressions(all, { ignore: [], vex: st('pkg:npm/semver') }, new Date(), ctx()).counts.vex).toBe(1);
  });

  it("VEX by the OSV record's own source purl (arch=source) covers every binary of that source", () => {
    const st = vexOf(
      openvex([
        {
          vulnerability: { name: 'DSA-5343-1' },
          products: [{ '@id': 'pkg:deb/debian/openssl?arch=source' }],
          status: 'not_affected',
          justification: 'inline_mitigations_already_exist',
        },
      ]),
    );
    const r = applySuppressions(all, { ignore: [], vex: st }, new Date(), ctx());
    expect(r.counts.vex).toBe(10);
    // A deb purl without arch=source names the binary package only.
    const bin = vexOf(
      openvex([
        {
          vulnerability: { name: 'DSA-5343-1' },
          products: [{ '@id': 'pkg:deb/debian/openssl' }],
          status: 'not_affected',
          justification: 'inline_mitigations_already_exist',
        },
      ]),
    );
    expect(
      applySuppressions(all, { ignore: [], vex: bin }, new Date(), ctx())
        .findings.filter((f) => f.suppressed)
        .map((f) => f.package),
    ).toEqual(Array(5).fill('openssl'));
  });

  it('later statements override earlier ones by timestamp, across documents and regardless of file order', () => {
    const product = [{ '@id': 'pkg:apk/alpine/musl@1.1.14-r10' }];
    const older = vexOf(
      openvex(
        [
          {
            vulnerability: { name: 'CVE-2019-14697' },
            products: product,
            status: 'not_affected',
            justification: 'component_not_present',
          },
        ],
        '2024-01-01T00:00:00Z',
      ),
      'old.json',
    );
    const newer = vexOf(
      openvex(
        [{ vulnerability: { name: 'CVE-2019-14697' }, products: product, status: 'under_investigation' }],
        '2024-06-01T00:00:00+02:00',
      ),
      'new.json',
    );
    for (const vex of [
      [...older, ...newer],
      [...newer, ...older],
    ]) {
      expect(applySuppressions(all, { ignore: [], vex }, new Date(), ctx()).counts.vex).toBe(0);
    }
    const fixedLater = vexOf(
      openvex(
        [
          {
            vulnerability: { name: 'CVE-2019-14697' },
            products: product,
            status: 'fixed',
            status_notes: 'patched in our build',
          },
        ],
        '2024-07-01T00:00:00Z',
      ),
      'fix.json',
    );
    const r = applySuppressions(all, { ignore: [], vex: [...fixedLater, ...older, ...newer] }, new Date(), ctx());
    expect(r.findings.find((f) => f.id === 'CVE-2019-14697')!.suppressed).toEqual({
      by: 'vex:fix.json',
      justification: 'fixed: patched in our build',
    });
  });

  it('spec inheritance example: under_investigation then fixed (later, inherited timestamp) → suppressed', () => {
    const st = vexOf(readFileSync(join(FIXTURES, 'openvex', 'spec-inheritance-2.json'), 'utf8'), 'spec.json');
    const git: Package = {
      ...musl,
      name: 'git',
      version: '2.39.0-r1',
      purl: 'pkg:apk/wolfi/git@2.39.0-r1?arch=armv7&distro=wolfi-20230201',
    };
    const f: Finding = { ...muslF[0]!, id: 'CVE-2023-12345', aliases: [], package: 'git', purl: git.purl };
    expect(
      applySuppressions([f], { ignore: [], vex: st }, new Date(), { packages: [git] }).findings[0]!.suppressed,
    ).toEqual({ by: 'vex:spec.json', justification: 'fixed' });
    const first = vexOf(readFileSync(join(FIXTURES, 'openvex', 'spec-inheritance-1.json'), 'utf8'), 'spec1.json');
    expect(applySuppressions([f], { ignore: [], vex: first }, new Date()).findings[0]!.suppressed).toBeUndefined();
    // The minimal example names arch=armv7 and arch=x86_64 only: an aarch64 git is not covered.
    const min = vexOf(readFileSync(join(FIXTURES, 'openvex', 'spec-minimal.json'), 'utf8'), 'min.json');
    expect(
      applySuppressions(
        [{ ...f, purl: 'pkg:apk/wolfi/git@2.39.0-r1?arch=aarch64' }],
        { ignore: [], vex: min },
        new Date(),
      ).counts.vex,
    ).toBe(0);
    expect(
      applySuppressions(
        [{ ...f, purl: 'pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64' }],
        { ignore: [], vex: min },
        new Date(),
      ).counts.vex,
    ).toBe(1);
  });

  it('image products: pkg:oci with the image digest, subcomponents naming packages', () => {
    const target = {
      image_id: 'sha256:' + 'a'.repeat(64),
      manifest_digest: 'sha256:' + 'b'.repeat(64),
      refs: ['ghcr.io/acme/api:1.4.2'],
    };
    const mk = (product: unknown) =>
      vexOf(
        openvex([
          {
            vulnerability: { name: 'CVE-2019-14697' },
            products: [product],
            status: 'not_affected',
            justification: 'vulnerable_code_not_in_execute_path',
          },
        ]),
      );
    const withSub = (id: string) => mk({ '@id': id, subcomponents: [{ '@id': 'pkg:apk/alpine/musl' }] });
    expect(
      applySuppressions(all, { ignore: [], vex: withSub(`pkg:oci/api@sha256%3A${'b'.repeat(64)}`) }, new Date(), {
        ...ctx(),
        target,
      }).counts.vex,
    ).toBe(1);
    expect(
      applySuppressions(all, { ignore: [], vex: withSub(`pkg:oci/api@sha256%3A${'c'.repeat(64)}`) }, new Date(), {
        ...ctx(),
        target,
      }).counts.vex,
    ).toBe(0);
    expect(
      applySuppressions(all, { ignore: [], vex: withSub('pkg:oci/api?repository_url=ghcr.io/acme/api') }, new Date(), {
        ...ctx(),
        target,
      }).counts.vex,
    ).toBe(1);
    expect(
      applySuppressions(all, { ignore: [], vex: withSub('pkg:oci/api?repository_url=ghcr.io/other/api') }, new Date(), {
        ...ctx(),
        target,
      }).counts.vex,
    ).toBe(0);
    // Without knowing the target, a statement about some image's subcomponent cannot apply.
    expect(
      applySuppressions(all, { ignore: [], vex: withSub(`pkg:oci/api@sha256%3A${'b'.repeat(64)}`) }, new Date(), ctx())
        .counts.vex,
    ).toBe(0);
    // The image itself as product, no subcomponents: the whole image is not affected by that CVE.
    expect(
      applySuppressions(
        all,
        { ignore: [], vex: mk({ '@id': 'https://example.invalid/api', hashes: { 'sha-256': 'a'.repeat(64) } }) },
        new Date(),
        { ...ctx(), target },
      ).counts.vex,
    ).toBe(1);
  });

  it('ignore file beats VEX; an already-suppressed finding is left as it was', () => {
    const vex = vexOf(
      openvex([
        {
          vulnerability: { name: 'CVE-2022-25883' },
          products: [{ '@id': 'pkg:npm/semver' }],
          status: 'not_affected',
          justification: 'component_not_present',
        },
      ]),
    );
    const r = applySuppressions(
      all,
      { ignore: ignore('ignore:\n  - {id: CVE-2022-25883, reason: local}\n'), vex },
      new Date(),
      ctx(),
    );
    expect(r.findings.find((f) => f.id === 'CVE-2022-25883')!.suppressed!.by).toBe(
      'ignore-file:.scanrook-ignore.yaml#1',
    );
    const pre = { by: 'earlier', justification: 'kept' };
    expect(
      applySuppressions([{ ...semverF[0]!, suppressed: pre }], { ignore: [], vex }, new Date()).findings[0]!.suppressed,
    ).toEqual(pre);
  });

  it('long justifications are clipped for display', () => {
    const long = 'x'.repeat(3000);
    const st = vexOf(
      openvex([
        {
          vulnerability: { name: 'CVE-2022-25883' },
          products: [{ '@id': 'pkg:npm/semver' }],
          status: 'not_affected',
          impact_statement: long,
        },
      ]),
    );
    const j = applySuppressions(all, { ignore: [], vex: st }, new Date(), ctx()).findings.find((f) => f.suppressed)!
      .suppressed!.justification;
    expect(j.length).toBe(500);
    expect(j.endsWith('…')).toBe(true);
  });
});

describe('purl parsing and matching', () => {
  it('parses the purl-spec forms', () => {
    expect(parsePurl('pkg:deb/debian/libssl3@3.0.19-1~deb12u2?distro=debian-12&arch=amd64')).toEqual({
      type: 'deb',
      namespace: 'debian',
      name: 'libssl3',
      version: '3.0.19-1~deb12u2',
      qualifiers: { distro: 'debian-12', arch: 'amd64' },
      subpath: null,
    });
    expect(parsePurl('pkg:npm/%40angular/core@16.0.0')).toMatchObject({
      namespace: '@angular',
      name: 'core',
      version: '16.0.0',
    });
    expect(parsePurl('pkg:maven/org.springframework.boot/spring-boot@2.6.0-M3')).toMatchObject({
      namespace: 'org.springframework.boot',
      name: 'spring-boot',
    });
    expect(parsePurl('pkg:pypi/Django_Rest@1')).toMatchObject({ name: 'django-rest' });
    expect(parsePurl('pkg:golang/github.com/gorilla/context@v1.1.1#api')).toMatchObject({
      namespace: 'github.com/gorilla',
      name: 'context',
      subpath: 'api',
    });
    for (const bad of ['', 'pkg:', 'pkg:npm', 'npm/semver', 'pkg:/semver', 'pkg:npm/semver?=x'])
      expect(parsePurl(bad), bad).toBeNull();
  });
  it('matching is component-wise', () => {
    const m = (a: string, b: string) => purlMatches(parsePurl(a)!, parsePurl(b)!);
    expect(
      m('pkg:maven/org.apache.logging.log4j/log4j-core', 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1'),
    ).toBe(true);
    expect(
      m('pkg:maven/org.apache.logging.log4j/Log4j-core', 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1'),
    ).toBe(false);
    expect(m('pkg:npm/semver', 'pkg:npm/semver-diff@1.0.0')).toBe(false);
    expect(m('pkg:golang/github.com/gorilla/context#api', 'pkg:golang/github.com/gorilla/context@v1')).toBe(false);
  });
});
