/**
 * Hex (mix.lock) and Pub (pubspec.lock) packages matched against real GitHub Advisory Database records
 * (test/fixtures/osv/{Hex,Pub}, copied verbatim; provenance and licence in the README.md of each folder).
 *
 * The packages come from the real lockfiles in shared/data/pkgdb/{elixir,dart} through our lockfile
 * analyzers; the DB is built from the fixture folder by the real builder (buildDbFromFolder, the code behind
 * `--db-path DIR` and `scanrook db build --from DIR`) and opened by the real store; findings come from
 * matchPackages. The expected findings are written out below as data, each reasoned by hand from the record's
 * ranges (SemVer precedence: compare major, then minor, then patch as integers; all versions here are plain
 * X.Y.Z, no pre-release or build part), not computed with our comparator or matcher.
 *
 * Last, the built CLI scans a docker-save archive holding these lockfiles (plus real Debian 12 dpkg records,
 * since deep mode needs an OS package DB) with `--db-path` on a copy of the fixture folder.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mixAnalyzer } from '../../src/inventory/lock/mix/analyzer.js';
import { pubspecAnalyzer } from '../../src/inventory/lock/pubspec/analyzer.js';
import { matchPackages } from '../../src/match/match.js';
import type { Finding, Package } from '../../src/model/report.js';
import { buildDbFromFolder } from '../../src/vulndb/build.js';
import { type OpenedVulnDb, openDb } from '../../src/vulndb/store-reader.js';
import type { OsvRecord } from '../../src/vulndb/types.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { haveShared, REPO_ROOT, sharedPath } from '../helpers/shared.js';
import { runOn } from '../inventory/lock/helpers.js';
import { debianRoot, packImage, packLayer, realStatusRecords } from '../load/images.js';

const OSV = join(REPO_ROOT, 'test', 'fixtures', 'osv');
const LOCKS = {
  'elixir/syft': ['elixir', 'syft', 'mix.lock'],
  'elixir/trivy': ['elixir', 'trivy', 'mix.lock'],
  'dart/syft': ['dart', 'syft', 'pubspec.lock'],
  'dart/trivy': ['dart', 'trivy', 'pubspec.lock'],
} as const;
const lockPath = (k: keyof typeof LOCKS) => sharedPath('data', 'pkgdb', ...LOCKS[k]);

/** The fixture records, read with JSON.parse (a check that the folder holds what this test reasons about). */
const RECORD_FILES: Record<string, string> = {
  'GHSA-p8f7-22gq-m7j9': 'Hex/GHSA-p8f7-22gq-m7j9.json',
  'GHSA-cmfh-8f8r-fj96': 'Hex/GHSA-cmfh-8f8r-fj96.json',
  'GHSA-5v4m-c73v-c7gq': 'Hex/GHSA-5v4m-c73v-c7gq.json',
  'GHSA-2xxx-fhc8-9qvq': 'Hex/GHSA-2xxx-fhc8-9qvq.json',
  'GHSA-4rgh-jx4f-qfcq': 'Pub/GHSA-4rgh-jx4f-qfcq.json',
  'GHSA-9v85-q87q-g4vg': 'Pub/GHSA-9v85-q87q-g4vg.json',
  'GHSA-r285-q736-9v95': 'Pub/GHSA-r285-q736-9v95.json',
};

/**
 * What each record says, restated by hand from its file (affected package, intervals [introduced, fixed),
 * explicit versions). The first test checks these against the files, so the reasoning below rests on them.
 */
const RECORD_FACTS: Record<
  string,
  { ecosystem: string; name: string; intervals: [string, string][]; versions: string[]; aliases: string[] }
> = {
  'GHSA-p8f7-22gq-m7j9': {
    ecosystem: 'Hex',
    name: 'phoenix',
    intervals: [['0', '1.6.14']],
    versions: [],
    aliases: ['CVE-2022-42975'],
  },
  'GHSA-cmfh-8f8r-fj96': {
    ecosystem: 'Hex',
    name: 'phoenix',
    intervals: [
      ['0', '1.0.6'],
      ['1.1.0', '1.1.8'],
      ['1.2.0', '1.2.3'],
    ],
    versions: [],
    aliases: ['CVE-2017-1000163'],
  },
  'GHSA-5v4m-c73v-c7gq': {
    ecosystem: 'Hex',
    name: 'plug',
    intervals: [
      ['0', '1.0.4'],
      ['1.1.0', '1.1.7'],
      ['1.2.0', '1.2.3'],
      ['1.3.0', '1.3.2'],
    ],
    versions: [],
    aliases: ['CVE-2017-1000053'],
  },
  'GHSA-2xxx-fhc8-9qvq': {
    ecosystem: 'Hex',
    name: 'ecto',
    intervals: [['2.2.0', '2.2.1']],
    versions: ['2.2.0'],
    aliases: [],
  },
  'GHSA-4rgh-jx4f-qfcq': {
    ecosystem: 'Pub',
    name: 'http',
    intervals: [['0', '0.13.3']],
    versions: [],
    aliases: ['CVE-2020-35669'],
  },
  'GHSA-9v85-q87q-g4vg': {
    ecosystem: 'Pub',
    name: 'archive',
    intervals: [['0', '3.3.8']],
    versions: [],
    aliases: ['CVE-2023-39139'],
  },
  'GHSA-r285-q736-9v95': {
    ecosystem: 'Pub',
    name: 'archive',
    intervals: [['0', '3.3.8']],
    versions: [],
    aliases: ['CVE-2023-39137'],
  },
};

/** A finding as asserted: `lockfile package@installed id [aliases] fixed severity score`. */
interface Expected {
  lock: keyof typeof LOCKS;
  package: string;
  installed: string;
  id: string;
  aliases: string[];
  fixed: string;
  severity: string;
  score: number;
}

/*
 * Hand reasoning, per lockfile package that has a record (every other lockfile package has none):
 *
 * elixir/trivy phoenix 1.6.13
 *   GHSA-p8f7 [0, 1.6.14): 1.6.13 vs 1.6.14 → same major/minor, patch 13 < 14 → AFFECTED, fixed 1.6.14.
 *     CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N = 7.5 (NVD's score for CVE-2022-42975) → high.
 *   GHSA-cmfh [0,1.0.6) [1.1.0,1.1.8) [1.2.0,1.2.3): 1.6.13 has minor 6 > 2, so it is >= 1.2.3 and
 *     above every interval → not affected.
 * elixir/trivy plug 1.14.0
 *   GHSA-5v4m: highest interval end 1.3.2; 1.14.0 has minor 14 > 3 (integers) → above every interval →
 *   not affected.
 * elixir/syft ecto 3.8.1
 *   GHSA-2xxx [2.2.0, 2.2.1), versions [2.2.0]: major 3 > 2 → not in the interval, not listed → not affected.
 * dart/trivy http 0.13.2
 *   GHSA-4rgh [0, 0.13.3): patch 2 < 3 → AFFECTED, fixed 0.13.3.
 *     CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N = 6.1 (NVD's score for CVE-2020-35669) → medium.
 * dart/syft archive 2.0.13
 *   GHSA-9v85 [0, 3.3.8): major 2 < 3 → AFFECTED, fixed 3.3.8; GHSA-r285 the same interval → AFFECTED,
 *     fixed 3.3.8. Different CVEs (CVE-2023-39139, CVE-2023-39137): two findings.
 *     Both CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H = 7.8 (NVD's score for both CVEs) → high.
 * A finding's headline id is its CVE, the GHSA id in aliases (src/match/match.ts contract).
 */
const EXPECTED: Expected[] = [
  {
    lock: 'elixir/trivy',
    package: 'phoenix',
    installed: '1.6.13',
    id: 'CVE-2022-42975',
    aliases: ['GHSA-p8f7-22gq-m7j9'],
    fixed: '1.6.14',
    severity: 'high',
    score: 7.5,
  },
  {
    lock: 'dart/trivy',
    package: 'http',
    installed: '0.13.2',
    id: 'CVE-2020-35669',
    aliases: ['GHSA-4rgh-jx4f-qfcq'],
    fixed: '0.13.3',
    severity: 'medium',
    score: 6.1,
  },
  {
    lock: 'dart/syft',
    package: 'archive',
    installed: '2.0.13',
    id: 'CVE-2023-39139',
    aliases: ['GHSA-9v85-q87q-g4vg'],
    fixed: '3.3.8',
    severity: 'high',
    score: 7.8,
  },
  {
    lock: 'dart/syft',
    package: 'archive',
    installed: '2.0.13',
    id: 'CVE-2023-39137',
    aliases: ['GHSA-r285-q736-9v95'],
    fixed: '3.3.8',
    severity: 'high',
    score: 7.8,
  },
];

/** Lockfile packages that have a record but are NOT affected (reasoned above). */
const NOT_AFFECTED = [
  { lock: 'elixir/trivy', package: 'phoenix', installed: '1.6.13', record: 'GHSA-cmfh-8f8r-fj96' },
  { lock: 'elixir/trivy', package: 'plug', installed: '1.14.0', record: 'GHSA-5v4m-c73v-c7gq' },
  { lock: 'elixir/syft', package: 'ecto', installed: '3.8.1', record: 'GHSA-2xxx-fhc8-9qvq' },
] as const;

/*
 * The records' own boundary versions (each an introduced/fixed value or listed version of a record, so a real
 * release of that package), matched as packages of the lockfile's type. Reasoning per row:
 *  phoenix 1.6.14: the fix of p8f7 (not < itself); >= 1.2.3 so above cmfh → none.
 *  phoenix 1.2.3:  the fix of cmfh's last interval (not affected by cmfh); < 1.6.14 → p8f7, fixed 1.6.14.
 *  phoenix 1.2.0:  introduced of cmfh's [1.2.0, 1.2.3) → cmfh fixed 1.2.3; and p8f7 fixed 1.6.14.
 *  phoenix 1.1.8:  fix of cmfh's [1.1.0, 1.1.8), below 1.2.0 → not cmfh; p8f7 fixed 1.6.14.
 *  plug 1.3.0:     introduced of [1.3.0, 1.3.2) → 5v4m fixed 1.3.2.     plug 1.3.2: its fix → none.
 *  ecto 2.2.0:     in [2.2.0, 2.2.1) and listed → 2xxx fixed 2.2.1.      ecto 2.2.1: its fix → none.
 *  http 0.13.3:    4rgh's fix → none.
 *  archive 3.3.8:  9v85's and r285's fix → none.
 * The ecto record has no CVE alias, so its finding's id is the GHSA id.
 */
const BOUNDARIES: { type: 'hex' | 'pub'; name: string; version: string; hits: [string, string][] }[] = [
  { type: 'hex', name: 'phoenix', version: '1.6.14', hits: [] },
  { type: 'hex', name: 'phoenix', version: '1.2.3', hits: [['CVE-2022-42975', '1.6.14']] },
  {
    type: 'hex',
    name: 'phoenix',
    version: '1.2.0',
    hits: [
      ['CVE-2017-1000163', '1.2.3'],
      ['CVE-2022-42975', '1.6.14'],
    ],
  },
  { type: 'hex', name: 'phoenix', version: '1.1.8', hits: [['CVE-2022-42975', '1.6.14']] },
  { type: 'hex', name: 'plug', version: '1.3.0', hits: [['CVE-2017-1000053', '1.3.2']] },
  { type: 'hex', name: 'plug', version: '1.3.2', hits: [] },
  { type: 'hex', name: 'ecto', version: '2.2.0', hits: [['GHSA-2xxx-fhc8-9qvq', '2.2.1']] },
  { type: 'hex', name: 'ecto', version: '2.2.1', hits: [] },
  { type: 'pub', name: 'http', version: '0.13.3', hits: [] },
  { type: 'pub', name: 'archive', version: '3.3.8', hits: [] },
];

function key(f: { package: string; installed_version: string; id: string }): string {
  return `${f.package}@${f.installed_version} ${f.id}`;
}

function expectFinding(f: Finding | undefined, e: Expected): void {
  expect(f, `${e.package}@${e.installed} ${e.id}`).toBeDefined();
  expect({
    id: f!.id,
    aliases: [...f!.aliases].sort(),
    package: f!.package,
    package_type: f!.package_type,
    installed_version: f!.installed_version,
    fixed_version: f!.fixed_version,
    severity: f!.severity,
    score: f!.score,
  }).toEqual({
    id: e.id,
    aliases: e.aliases,
    package: e.package,
    package_type: e.lock.startsWith('elixir') ? 'hex' : 'pub',
    installed_version: e.installed,
    fixed_version: e.fixed,
    severity: e.severity,
    score: e.score,
  });
}

describe('the Hex and Pub fixture records', () => {
  it('are the real records this test reasons about (ids, packages, ranges, versions, aliases)', () => {
    const folders = ['Hex', 'Pub'].flatMap((d) =>
      readdirSync(join(OSV, d))
        .filter((f) => f.endsWith('.json'))
        .map((f) => `${d}/${f}`),
    );
    expect(folders.sort()).toEqual(Object.values(RECORD_FILES).sort());
    for (const [id, file] of Object.entries(RECORD_FILES)) {
      const rec = JSON.parse(readFileSync(join(OSV, file), 'utf8')) as OsvRecord;
      const facts = RECORD_FACTS[id]!;
      expect(rec.id).toBe(id);
      expect(rec.withdrawn).toBeUndefined();
      expect(rec.aliases ?? []).toEqual(facts.aliases);
      const intervals: [string, string][] = [];
      const versions: string[] = [];
      for (const a of rec.affected ?? []) {
        expect(a.package).toEqual({ ecosystem: facts.ecosystem, name: facts.name });
        versions.push(...(a.versions ?? []));
        for (const r of a.ranges ?? []) {
          expect(r.type).toBe('ECOSYSTEM');
          expect(r.events.length).toBe(2);
          intervals.push([r.events[0]!.introduced!, r.events[1]!.fixed!]);
        }
      }
      expect(intervals).toEqual(facts.intervals);
      expect(versions).toEqual(facts.versions);
    }
  });
});

describe.runIf(haveShared())('Hex and Pub lockfile packages against real GitHub advisories', () => {
  let db: OpenedVulnDb;
  const packages = new Map<keyof typeof LOCKS, Package[]>();

  beforeAll(async () => {
    db = await openDb(await buildDbFromFolder(OSV, { source: 'test/fixtures/osv' }));
    for (const k of Object.keys(LOCKS) as (keyof typeof LOCKS)[]) {
      const analyzer = k.startsWith('elixir') ? mixAnalyzer : pubspecAnalyzer;
      const inImage = `app/${LOCKS[k][2]}`;
      const r = await runOn(analyzer, [inImage, readFileSync(lockPath(k))]);
      expect(r.problems, k).toEqual([]);
      packages.set(k, r.packages);
    }
  });
  afterAll(() => db?.close());

  it('the DB holds the 7 records under Hex and Pub', () => {
    const meta = db.meta();
    expect(meta.ecosystems.map((e) => [e.name, e.records])).toEqual([
      ['Hex', 4],
      ['Pub', 3],
    ]);
    expect(meta.skipped).toEqual([]);
  });

  it('the lockfile packages the records name are there, at the versions reasoned about', () => {
    const has = (k: keyof typeof LOCKS, name: string, version: string) =>
      packages.get(k)!.some((p) => p.name === name && p.version === version);
    for (const e of EXPECTED)
      expect(has(e.lock, e.package, e.installed), `${e.lock} ${e.package}@${e.installed}`).toBe(true);
    for (const n of NOT_AFFECTED)
      expect(has(n.lock, n.package, n.installed), `${n.lock} ${n.package}@${n.installed}`).toBe(true);
    // Each lockfile's packages named by some record are exactly those listed above (nothing unreasoned about).
    const named = new Set(Object.values(RECORD_FACTS).map((f) => `${f.ecosystem} ${f.name}`));
    const reasoned = new Set([...EXPECTED, ...NOT_AFFECTED].map((x) => `${x.lock} ${x.package}@${x.installed}`));
    for (const [k, pkgs] of packages) {
      for (const p of pkgs) {
        if (named.has(`${p.ecosystem} ${p.name}`))
          expect(reasoned.has(`${k} ${p.name}@${p.version}`), `${k} ${p.name}@${p.version}`).toBe(true);
      }
    }
  });

  for (const k of Object.keys(LOCKS) as (keyof typeof LOCKS)[]) {
    it(`${k}: exactly the hand-reasoned findings`, () => {
      const r = matchPackages(packages.get(k)!, db);
      expect(r.unparsable).toEqual([]);
      expect(r.unknownEcosystems).toEqual([]);
      const want = EXPECTED.filter((e) => e.lock === k);
      expect(r.findings.map(key).sort()).toEqual(want.map((e) => `${e.package}@${e.installed} ${e.id}`).sort());
      const byKey = new Map(r.findings.map((f) => [key(f), f]));
      for (const e of want) expectFinding(byKey.get(`${e.package}@${e.installed} ${e.id}`), e);
      // The not-affected packages with records: no finding cites those records.
      for (const n of NOT_AFFECTED.filter((x) => x.lock === k)) {
        const cited = r.findings.filter(
          (f) =>
            f.package === n.package &&
            [f.id, ...f.aliases].some((id) => id === n.record || RECORD_FACTS[n.record]!.aliases.includes(id)),
        );
        expect(cited, `${n.package}@${n.installed} ${n.record}`).toEqual([]);
      }
    });
  }

  it("the records' own boundary versions: introduced is affected, fixed is not", () => {
    for (const b of BOUNDARIES) {
      const lock = (b.type === 'hex' ? packages.get('elixir/trivy') : packages.get('dart/trivy'))!;
      // The lockfile's own Package for that type, with the version replaced by the record's boundary version.
      const base = lock[0]!;
      const p: Package = {
        ...base,
        name: b.name,
        version: b.version,
        source_name: b.name,
        source_version: b.version,
        purl: `pkg:${b.type}/${b.name}@${b.version}`,
      };
      const r = matchPackages([p], db);
      expect(r.unparsable, `${b.name}@${b.version}`).toEqual([]);
      expect(r.findings.map((f) => [f.id, f.fixed_version]).sort(), `${b.name}@${b.version}`).toEqual(b.hits);
    }
  });
});

const PACK = haveShared() ? sharedPath('images', 'scripts', 'pack-image.py') : '';
const CLI = join(REPO_ROOT, 'dist', 'cli.js');

describe.runIf(haveShared())('the built CLI on an image holding the real mix.lock and pubspec.lock files', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'scanrook-hex-pub-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('scan --mode deep --db-path reports exactly the hand-reasoned Hex and Pub findings', () => {
    // Layer 1: Debian 12's os-release and 3 real dpkg records (deep mode needs an OS package DB).
    const osRoot = debianRoot(join(work, 'os'), realStatusRecords().slice(0, 3).join('\n\n') + '\n');
    // Layer 2: the four lockfiles, byte for byte, in four project folders.
    const apps = join(work, 'apps');
    const where: Record<keyof typeof LOCKS, string> = {
      'elixir/syft': 'srv/elixir-a',
      'elixir/trivy': 'srv/elixir-b',
      'dart/syft': 'srv/dart-a',
      'dart/trivy': 'srv/dart-b',
    };
    for (const k of Object.keys(LOCKS) as (keyof typeof LOCKS)[]) {
      mkdirSync(join(apps, where[k]), { recursive: true });
      writeFileSync(join(apps, where[k], LOCKS[k][2]), readFileSync(lockPath(k)));
    }
    const tar = packImage(
      [packLayer(osRoot, join(work, 'l1.tar')), packLayer(apps, join(work, 'l2.tar'))],
      join(work, 'image.tar'),
      'docker-oci',
      'scanrook-test/hex-pub:1',
    );
    // The DB folder: a copy of the fixture's Hex and Pub folders only (other fixture folders may appear),
    // plus the demo's real Debian:12 slice, so the Debian packages are matched too (else vulndb_unavailable).
    const dbDir = join(work, 'osv');
    for (const d of ['Hex', 'Pub']) cpSync(join(OSV, d), join(dbDir, d), { recursive: true });
    cpSync(join(REPO_ROOT, 'test', 'fixtures', 'demo', 'osv', 'Debian'), join(dbDir, 'Debian'), { recursive: true });
    expect(PACK).not.toBe('');

    const r = spawnSync(
      process.execPath,
      [
        CLI,
        'scan',
        tar,
        '--mode',
        'deep',
        '--db-path',
        dbDir,
        '--db-max-age',
        '0',
        '--no-db-cache',
        '--format',
        'json',
        '--quiet',
      ],
      { cwd: work, encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    // High findings at the default threshold (high): exit 1, fail by policy.
    expect(r.status, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { scan_status: string; reasons: { code: string }[]; findings: Finding[] };
    assertValidReport(report);
    expect(report.scan_status, JSON.stringify(report.reasons)).toBe('done');
    const langFindings = report.findings.filter((f) => f.package_type === 'hex' || f.package_type === 'pub');
    expect(report.findings.filter((f) => !langFindings.includes(f)).every((f) => f.package_type === 'deb')).toBe(true);
    const want = EXPECTED.map((e) => ({ ...e, location: `${where[e.lock]}/${LOCKS[e.lock][2]}` }));
    expect(langFindings.map((f) => `${key(f)} ${f.location}`).sort()).toEqual(
      want.map((e) => `${e.package}@${e.installed} ${e.id} ${e.location}`).sort(),
    );
    const byKey = new Map(langFindings.map((f) => [`${key(f)} ${f.location}`, f]));
    for (const e of want) expectFinding(byKey.get(`${e.package}@${e.installed} ${e.id} ${e.location}`), e);
  });
});
