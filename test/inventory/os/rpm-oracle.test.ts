/**
 * Every real rpmdb we have, read by our own readers, compared package by package with the real rpm (4.18,
 * Debian's build: sqlite and bdb_ro backends) run at test time. Debian's rpm has no NDB backend, so the SUSE
 * Packages.db is compared with `rpm -qa` output recorded inside the real container by go-rpmdb's authors
 * (test/fixtures/inventory/rpm/README.md); if this machine's rpm does read NDB, it is used as well.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RpmDbRead } from '../../../src/inventory/os/rpm/index.js';
import {
  parseRpmHeader,
  readRpmBdb,
  readRpmNdb,
  readRpmSqlite,
  rpmPackage,
} from '../../../src/inventory/os/rpm/index.js';
import { loadSqlJs } from '../../../src/vulndb/sqlite.js';
import { haveShared, REPO_ROOT, sharedPath } from '../../helpers/shared.js';
import {
  extractToTemp,
  fileFromLayer,
  haveRpm,
  imageLayers,
  type OracleRow,
  rpmBackends,
  rpmFileLists,
  rpmQueryAll,
} from './rpm-helpers.js';

const SHARED = haveShared();
const RPM = SHARED && haveRpm();
const BACKENDS = RPM ? rpmBackends() : [];
if (RPM && process.env.CI && !BACKENDS.includes('bdb_ro'))
  throw new Error(`rpm has no bdb_ro backend (${BACKENDS.join(' ')})`);

const NONE = '(none)';

/** Our reading of one record, in rpm's query-format conventions. */
function ourRows(read: RpmDbRead): OracleRow[] {
  return read.records.map((r) => {
    const { info, problems } = parseRpmHeader(r.blob);
    expect(problems).toEqual([]);
    const v = (s: string | null): string => s ?? NONE;
    const evr = `${info.epoch !== null ? `${info.epoch}:` : ''}${info.version}-${info.release}`;
    return {
      NAME: v(info.name),
      EPOCH: info.epoch === null ? NONE : String(info.epoch),
      VERSION: v(info.version),
      RELEASE: v(info.release),
      ARCH: v(info.arch),
      SOURCERPM: v(info.sourceRpm),
      EVR: evr,
      VENDOR: v(info.vendor),
      LICENSE: v(info.license),
      MODULARITYLABEL: v(info.modularityLabel),
      SIGMD5: v(info.sigmd5),
    };
  });
}

const key = (r: OracleRow): string => Object.values(r).join('\t');
const sorted = (rows: OracleRow[]): string[] => rows.map(key).sort();

/** The report Package must carry rpm's view of each field, under our documented conventions. */
function checkPackages(read: RpmDbRead, oracle: OracleRow[]): void {
  const pkgs = read.records.map((r) => {
    const { info } = parseRpmHeader(r.blob);
    return rpmPackage({ ...info, name: info.name!, version: info.version! }, 'x', null);
  });
  const expected = oracle
    .map((o) => {
      const vr = `${o.VERSION}-${o.RELEASE}`;
      const src = o.SOURCERPM === NONE ? null : /^(.+)-([^-]+-[^-]+)\.src\.rpm$/.exec(o.SOURCERPM);
      const ep = o.EPOCH !== NONE && o.EPOCH !== '0' ? `${o.EPOCH}:` : '';
      return [
        o.NAME,
        ep + vr,
        o.ARCH === NONE ? null : o.ARCH,
        src ? src[1] : o.NAME,
        src ? ep + src[2] : ep + vr,
      ].join('|');
    })
    .sort();
  expect(pkgs.map((p) => [p.name, p.version, p.arch, p.source_name, p.source_version].join('|')).sort()).toEqual(
    expected,
  );
}

const BDB_DIRS = [
  'go-rpmdb-libuuid',
  'grype-centos-match-coverage',
  'grype-sles-match-coverage',
  'scalibr-epoch',
  'syft',
];

describe.skipIf(!RPM)('rpm oracle: Berkeley DB Packages', () => {
  for (const d of BDB_DIRS) {
    it(`${d}: same packages as rpm -qa (bdb_ro)`, () => {
      const file = sharedPath('data', 'pkgdb', 'rpm', d, 'Packages');
      const read = readRpmBdb(readFileSync(file));
      expect(read.problems).toEqual([]);
      const oracle = rpmQueryAll(file, 'bdb_ro');
      expect(oracle.length).toBeGreaterThan(0);
      expect(sorted(ourRows(read))).toEqual(sorted(oracle));
      checkPackages(read, oracle);
    });
  }

  it('scalibr-epoch carries an epoch and rpm agrees on the EVR', () => {
    const file = sharedPath('data', 'pkgdb', 'rpm', 'scalibr-epoch', 'Packages');
    const oracle = rpmQueryAll(file, 'bdb_ro');
    expect(oracle.some((o) => o.EPOCH !== NONE)).toBe(true);
  });

  it('file lists (deep mode) equal rpm FILENAMES', () => {
    for (const d of BDB_DIRS) {
      const file = sharedPath('data', 'pkgdb', 'rpm', d, 'Packages');
      compareFiles(readRpmBdb(readFileSync(file)), rpmFileLists(file, 'bdb_ro'));
    }
  });
});

function compareFiles(read: RpmDbRead, oracle: Map<string, string[]>): void {
  const ours = new Map<string, string[]>();
  for (const r of read.records) {
    const { info, problems } = parseRpmHeader(r.blob, { files: true });
    expect(problems).toEqual([]);
    if (!info.files?.length) continue;
    const k = `${info.name}.${info.arch ?? NONE}-${info.epoch !== null ? `${info.epoch}:` : ''}${info.version}-${info.release}`;
    ours.set(k, [...(ours.get(k) ?? []), ...info.files].sort());
  }
  expect(ours.size).toBe(oracle.size);
  for (const [k, files] of oracle) expect(ours.get(k), k).toEqual(files);
}

describe.skipIf(!RPM)('rpm oracle: sqlite rpmdb', () => {
  let SQL: Awaited<ReturnType<typeof loadSqlJs>>;
  beforeAll(async () => {
    SQL = await loadSqlJs();
  });

  it('CBL-Mariner 2.0 (129 headers, no gpg-pubkey): same as rpm -qa, file lists too; parse time', () => {
    const file = sharedPath('data', 'pkgdb', 'rpm', 'go-rpmdb-cbl-mariner-2.0', 'rpmdb.sqlite');
    const body = readFileSync(file);
    const t0 = performance.now();
    const read = readRpmSqlite(body, SQL);
    const parsed = read.records.map((r) => parseRpmHeader(r.blob));
    const t1 = performance.now();
    const deep = read.records.map((r) => parseRpmHeader(r.blob, { files: true }));
    const t2 = performance.now();
    let warm = Infinity;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      for (const r of readRpmSqlite(body, SQL).records) parseRpmHeader(r.blob);
      warm = Math.min(warm, performance.now() - t);
    }
    console.log(
      `CBL-Mariner rpmdb.sqlite (${body.length} bytes, ${read.records.length} headers): read+parse ${(t1 - t0).toFixed(1)} ms cold, ${warm.toFixed(1)} ms warm; parse with file lists ${(t2 - t1).toFixed(1)} ms (${deep.reduce((n, d) => n + (d.info.files?.length ?? 0), 0)} files)`,
    );
    expect(parsed.length).toBe(129);
    expect(read.problems).toEqual([]);
    const oracle = rpmQueryAll(file, 'sqlite');
    expect(oracle.length).toBe(129);
    // no gpg-pubkey in this DB: the analyzer test imports a real key to cover them (rpm-analyzer.test.ts)
    expect(oracle.filter((o) => o.NAME === 'gpg-pubkey').length).toBe(0);
    expect(sorted(ourRows(read))).toEqual(sorted(oracle));
    checkPackages(read, oracle);
    compareFiles(read, rpmFileLists(file, 'sqlite'));
    expect(t1 - t0).toBeLessThan(5000);
  });

  const images = [
    { image: 'rpm-rocky9.docker.tar', path: 'var/lib/rpm/rpmdb.sqlite' },
    { image: 'rpm-fedora38.docker-oci.tar', path: 'usr/lib/sysimage/rpm/rpmdb.sqlite' },
  ];
  for (const { image, path } of images) {
    it(`${image}: ${path} same as rpm -qa`, () => {
      const img = sharedPath('images', image);
      const layers = imageLayers(img);
      const body = layers
        .map((l) => fileFromLayer(img, l, path))
        .filter((b): b is Buffer => b !== null)
        .pop();
      expect(body).toBeDefined();
      const tmp = extractToTemp(body!, 'rpmdb.sqlite');
      try {
        const read = readRpmSqlite(body!, SQL);
        expect(read.problems).toEqual([]);
        const oracle = rpmQueryAll(tmp.path, 'sqlite');
        expect(oracle.length).toBeGreaterThan(0);
        expect(sorted(ourRows(read))).toEqual(sorted(oracle));
        checkPackages(read, oracle);
        compareFiles(read, rpmFileLists(tmp.path, 'sqlite'));
      } finally {
        tmp.cleanup();
      }
    });
  }
});

describe.skipIf(!SHARED)('NDB Packages.db (SUSE)', () => {
  const file = () => sharedPath('data', 'pkgdb', 'rpm', 'go-rpmdb-sle15-bci', 'Packages.db');

  it('same packages as rpm -qa recorded in the SLE 15.3 BCI container (committed fixture)', () => {
    const read = readRpmNdb(readFileSync(file()));
    expect(read.problems).toEqual([]);
    const lines = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'inventory', 'rpm', 'sle15-bci-rpm-qa.tsv'), 'utf8')
      .split('\n')
      .filter(Boolean);
    expect(lines.length).toBe(35);
    const expected = lines
      .map((l) => {
        const [EPOCH, NAME, VERSION, RELEASE, ARCH, SOURCERPM, LICENSE, VENDOR, SIGMD5] = l.split('\t');
        return [EPOCH, NAME, VERSION, RELEASE, ARCH, SOURCERPM, LICENSE, VENDOR, SIGMD5].join('\t');
      })
      .sort();
    const ours = ourRows(read)
      .map((r) =>
        [r.EPOCH, r.NAME, r.VERSION, r.RELEASE, r.ARCH, r.SOURCERPM, r.LICENSE, r.VENDOR, r.SIGMD5].join('\t'),
      )
      .sort();
    expect(ours).toEqual(expected);
    // Debian's rpm 4.18 has no NDB backend; where this machine's rpm has one, it is a second oracle.
    if (RPM && BACKENDS.includes('ndb')) expect(sorted(ourRows(read))).toEqual(sorted(rpmQueryAll(file(), 'ndb')));
  });
});
