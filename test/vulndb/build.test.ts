/**
 * Building DBs from every real OSV zip in ../shared/data/osv. Ground truth is independent: `unzip -Z1` for the
 * number of records in each zip, Python's zipfile + json (oracle.py) for per-ecosystem counts and for which
 * records name a package, `packaging.utils.canonicalize_name` for PyPI names.
 * Figures (records/s, DB size, load time) are printed, not asserted.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDb, buildDbFromFolder } from '../../src/vulndb/build.js';
import { type OpenedVulnDb, openDb } from '../../src/vulndb/store-reader.js';
import { haveShared, sharedPath } from '../helpers/shared.js';
import { oracle, unzipCount } from './helpers.js';

const OSV = sharedPath('data', 'osv');

describe.runIf(haveShared())('DB built from each real all.zip', () => {
  const zips = existsSync(OSV)
    ? readdirSync(OSV)
        .filter((e) => existsSync(join(OSV, e, 'all.zip')))
        .map((e) => ({ eco: e, path: join(OSV, e, 'all.zip') }))
    : [];
  const built = new Map<
    string,
    { db: OpenedVulnDb; bytes: number; records: number; skipped: number; ms: number; loadMs: number }
  >();
  let counts: Record<string, { files: number; ecosystems: Record<string, number> }>;

  beforeAll(async () => {
    counts = oracle(['counts', ...zips.map((z) => z.path)]) as typeof counts;
    for (const z of zips) {
      let records = 0;
      let skipped = 0;
      const t0 = performance.now();
      const bytes = await buildDb([{ kind: 'zip', path: z.path, name: `${z.eco}/all.zip`, base: z.eco }], {
        source: z.path,
        onRead: (_n, s) => {
          records += s.records;
          skipped += s.skipped;
        },
      });
      const ms = performance.now() - t0;
      const t1 = performance.now();
      const db = await openDb(bytes, z.path);
      built.set(z.eco, { db, bytes: bytes.length, records, skipped, ms, loadMs: performance.now() - t1 });
    }
    const lines = [...built].map(
      ([eco, b]) =>
        `${eco.padEnd(10)} ${String(b.records).padStart(6)} records  ${(b.records / (b.ms / 1000)).toFixed(0).padStart(6)} records/s  ` +
        `DB ${(b.bytes / 1024).toFixed(0).padStart(6)} KiB  load ${b.loadMs.toFixed(0)} ms`,
    );
    console.log(`vulndb build figures (per shared zip):\n${lines.join('\n')}`);
  }, 600_000);

  it('finds the shared zips', () => {
    expect(zips.map((z) => z.eco).sort()).toEqual(
      expect.arrayContaining([
        'AlmaLinux',
        'Alpine',
        'Debian',
        'Go',
        'Maven',
        'Packagist',
        'PyPI',
        'RubyGems',
        'crates.io',
      ]),
    );
  });

  it('reads as many records as each zip holds (unzip -Z1), none skipped', () => {
    for (const z of zips) {
      const b = built.get(z.eco)!;
      expect({ eco: z.eco, records: b.records, skipped: b.skipped }).toEqual({
        eco: z.eco,
        records: unzipCount(z.path),
        skipped: 0,
      });
      expect(b.db.meta().skipped).toEqual([]);
    }
  });

  it('counts records per ecosystem (with release) as Python does', () => {
    for (const z of zips) {
      const b = built.get(z.eco)!;
      const mine = Object.fromEntries(b.db.meta().ecosystems.map((e) => [e.name, e.records]));
      expect({ eco: z.eco, counts: mine }).toEqual({ eco: z.eco, counts: counts[z.path]!.ecosystems });
      expect(b.db.ecosystems().sort()).toEqual(Object.keys(counts[z.path]!.ecosystems).sort());
    }
  });

  it('records the newest modified per ecosystem and the sources read', () => {
    const go = built.get('Go')!.db;
    const meta = go.meta();
    expect(meta.schema_version).toBe(1);
    expect(meta.ecosystems.find((e) => e.name === 'Go')!.newest_modified).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(go.sources()).toHaveLength(1);
    expect(go.sources()[0]!.records).toBe(unzipCount(join(OSV, 'Go', 'all.zip')));
  });

  it('Alpine:v3.10 musl: the same records as Python finds', () => {
    const db = built.get('Alpine')!.db;
    const expected = oracle(['lookup', 'Alpine:v3.10', 'musl', join(OSV, 'Alpine', 'all.zip')]) as string[];
    expect(expected.length).toBeGreaterThan(0);
    const got = db.lookup('Alpine:v3.10', 'musl');
    expect(got.map((e) => e.record.id)).toEqual(expected);
    for (const e of got) {
      expect(e.affected.length).toBeGreaterThan(0);
      for (const a of e.affected) expect(a.package).toMatchObject({ ecosystem: 'Alpine:v3.10', name: 'musl' });
      expect(e.record.affected).toBeUndefined();
    }
    // Another release is another key.
    expect(db.lookup('Alpine:v3.11', 'musl').map((e) => e.record.id)).toEqual(
      oracle(['lookup', 'Alpine:v3.11', 'musl', join(OSV, 'Alpine', 'all.zip')]),
    );
    expect(db.lookup('Alpine', 'musl')).toEqual([]);
  });

  it('AlmaLinux: ids repeated across releases stay apart', () => {
    const db = built.get('AlmaLinux')!.db;
    const zip = join(OSV, 'AlmaLinux', 'all.zip');
    for (const eco of ['AlmaLinux:8', 'AlmaLinux:9', 'AlmaLinux:10']) {
      expect(db.lookup(eco, 'openssl').map((e) => e.record.id)).toEqual(oracle(['lookup', eco, 'openssl', zip]));
    }
  });

  it('PyPI: names are looked up as PEP 503 normalises them (a real record named jw.util)', () => {
    const db = built.get('PyPI')!.db;
    const zip = join(OSV, 'PyPI', 'all.zip');
    const expected = oracle(['lookup', 'PyPI', 'jw.util', zip]) as string[];
    expect(expected.length).toBeGreaterThan(0);
    for (const spelling of ['jw.util', 'JW_Util', 'jw-util', 'Jw__.-util']) {
      expect(db.lookup('PyPI', spelling).map((e) => e.record.id)).toEqual(expected);
    }
    const django = oracle(['lookup', 'PyPI', 'Django', zip]) as string[];
    expect(django.length).toBeGreaterThan(10);
    expect(db.lookup('PyPI', 'DJANGO').map((e) => e.record.id)).toEqual(django);
  });

  it('Go: module paths and the stdlib pseudo-module as they are', () => {
    const db = built.get('Go')!.db;
    const zip = join(OSV, 'Go', 'all.zip');
    const std = oracle(['lookup', 'Go', 'stdlib', zip]) as string[];
    expect(std.length).toBeGreaterThan(50);
    expect(db.lookup('Go', 'stdlib').map((e) => e.record.id)).toEqual(std);
    expect(db.lookup('Go', 'golang.org/x/net').map((e) => e.record.id)).toEqual(
      oracle(['lookup', 'Go', 'golang.org/x/net', zip]),
    );
  });

  it('Maven group:artifact', () => {
    const db = built.get('Maven')!.db;
    const zip = join(OSV, 'Maven', 'all.zip');
    const name = 'org.apache.logging.log4j:log4j-core';
    const expected = oracle(['lookup', 'Maven', name, zip]) as string[];
    expect(db.lookup('Maven', name).map((e) => e.record.id)).toEqual(expected);
  });

  it('lookupMany: one batch of queries answers each as lookup does, ids as Python finds them', () => {
    // Every package name of three ecosystems in one batch, PyPI names in other spellings, repeated queries,
    // names no record has; each answer against oracle.py's index of the zip and against a lookup of its own.
    const cases: { eco: string; db: OpenedVulnDb; zip: string; spell: (n: string) => string }[] = [
      {
        eco: 'PyPI',
        db: built.get('PyPI')!.db,
        zip: join(OSV, 'PyPI', 'all.zip'),
        spell: (n) => n.toUpperCase().replace(/-/g, '_'),
      },
      { eco: 'Go', db: built.get('Go')!.db, zip: join(OSV, 'Go', 'all.zip'), spell: (n) => n },
      { eco: 'AlmaLinux:9', db: built.get('AlmaLinux')!.db, zip: join(OSV, 'AlmaLinux', 'all.zip'), spell: (n) => n },
    ];
    for (const c of cases) {
      const index = oracle(['index', c.eco, c.zip]) as Record<string, string[]>;
      const names = Object.keys(index);
      expect(names.length).toBeGreaterThan(100);
      const asked: { q: { ecosystem: string; name: string }; ids: string[] }[] = [
        ...names.map((n) => ({ q: { ecosystem: c.eco, name: n }, ids: index[n]! })),
        ...names.slice(0, 50).map((n) => ({ q: { ecosystem: c.eco, name: c.spell(n) }, ids: index[n]! })),
        ...names.slice(0, 20).map((n) => ({ q: { ecosystem: c.eco, name: n }, ids: index[n]! })),
        { q: { ecosystem: c.eco, name: 'no-such-package-in-any-advisory' }, ids: [] },
        { q: { ecosystem: `${c.eco}-not-an-ecosystem`, name: names[0]! }, ids: [] },
      ];
      const queries = asked.map((a) => a.q);
      const many = c.db.lookupMany(queries);
      expect(many.map((list, i) => ({ q: queries[i], ids: list.map((e) => e.record.id) }))).toEqual(asked);
      // The same answers, entry for entry, as single lookups.
      for (let i = 0; i < queries.length; i += 37)
        expect(many[i]).toEqual(c.db.lookup(queries[i]!.ecosystem, queries[i]!.name));
      // A record named by several packages is one object across the batch (parsed once).
      const byId = new Map<string, object>();
      for (const list of many)
        for (const e of list) {
          const seen = byId.get(e.record.id);
          if (seen) expect(e.record).toBe(seen);
          else byId.set(e.record.id, e.record);
        }
    }
    expect(built.get('PyPI')!.db.lookupMany([])).toEqual([]);
  });

  it('keeps the small bits matching reads and trims the rest', () => {
    const db = built.get('crates.io')!.db;
    const all = db.lookup('crates.io', 'cassandra');
    expect(all.length).toBeGreaterThan(0);
    const a = all[0]!.affected[0]!;
    expect(a.database_specific).toMatchObject({ informational: 'unmaintained' });
    expect(a.ranges![0]!.type).toBe('SEMVER');
    // Details are capped; GIT ranges dropped.
    for (const eco of built.keys()) {
      const d = built.get(eco)!.db;
      for (const e of d.meta().ecosystems.slice(0, 1)) expect(e.records).toBeGreaterThan(0);
    }
    const pypi = built.get('PyPI')!.db.lookup('PyPI', 'cryptography');
    for (const e of pypi) {
      expect((e.record.details ?? '').length).toBeLessThanOrEqual(2000);
      for (const aff of e.affected) for (const r of aff.ranges ?? []) expect(r.type).not.toBe('GIT');
    }
  });
});

describe.runIf(haveShared())('DB built from the shared folder as OSV lays it out', () => {
  it('Debian:12 records from bookworm-changelog (loose JSON) and Debian/all.zip together', async () => {
    const t0 = performance.now();
    const bytes = await buildDbFromFolder(join(OSV, 'Debian'));
    const ms = performance.now() - t0;
    const db = await openDb(bytes);
    console.log(`Debian folder: built in ${ms.toFixed(0)} ms, ${(bytes.length / 1024).toFixed(0)} KiB`);
    const perl = db.lookup('Debian:12', 'perl').map((e) => e.record.id);
    const expectedPerl = oracle([
      'lookup',
      'Debian:12',
      'perl',
      join(OSV, 'Debian', 'bookworm-changelog.zip'),
    ]) as string[];
    expect(expectedPerl).toHaveLength(13);
    expect(perl).toEqual(expectedPerl);
    expect(db.lookup('Debian:12', 'apt').map((e) => e.record.id)).toEqual(['DEBIAN-CVE-2026-109518']);
    expect(db.lookup('Debian:12', 'pcre2').map((e) => e.record.id)).toEqual(['DEBIAN-CVE-2026-103111']);
    expect(db.lookup('Debian:12', 'xz-utils')).toEqual([]);
    const fixed = db.lookup('Debian:12', 'apt')[0]!.affected[0]!.ranges![0]!.events;
    expect(fixed).toEqual([{ introduced: '0' }, { fixed: '2.6.2' }]);
    // Records of the DSA/DLA zip are there too, keyed by release.
    expect(db.ecosystems()).toEqual(expect.arrayContaining(['Debian:11', 'Debian:12', 'Debian:10']));
    expect(db.meta().skipped).toEqual([]);
    db.close();
  });

  it('the whole shared osv folder builds; only files laid out as OSV publishes are read', async () => {
    const t0 = performance.now();
    const names: string[] = [];
    const { buildDb: build } = await import('../../src/vulndb/build.js');
    const bytes = await build([{ kind: 'folder', path: OSV }], { source: OSV, onRead: (n) => names.push(n) });
    const ms = performance.now() - t0;
    const t1 = performance.now();
    const db = await openDb(bytes);
    console.log(
      `whole shared osv folder: built in ${ms.toFixed(0)} ms, ${(bytes.length / 1024 / 1024).toFixed(1)} MiB, opened in ${(performance.now() - t1).toFixed(0)} ms`,
    );
    // Raw upstream sources (secdb YAML zips, advisory repos) and bookworm-changelog.zip are not read; the
    // loose copies of bookworm-changelog/*.json are.
    expect(names.filter((n) => n.endsWith('.zip')).sort()).toEqual(
      readdirSync(OSV)
        .filter((e) => existsSync(join(OSV, e, 'all.zip')))
        .map((e) => `${e}/all.zip`)
        .sort(),
    );
    expect(db.meta().skipped).toEqual([]);
    // npm extra: the GHSA labelled for another ecosystem is not stored under npm.
    const npmIds = db.lookup('npm', 'lodash').map((e) => e.record.id);
    expect(npmIds).toContain('GHSA-p6mc-m468-83gw');
    const other = db.ecosystems().filter((e) => !['npm'].includes(e) && !e.includes(':'));
    expect(other).toEqual(expect.arrayContaining(['Go', 'PyPI', 'Maven', 'crates.io', 'Packagist', 'RubyGems']));
    db.close();
  }, 300_000);
});
