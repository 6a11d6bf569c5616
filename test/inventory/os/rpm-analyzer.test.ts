/**
 * The rpm analyzer end to end over a MergedView holding the real rpmdbs of the two rpm images (pulled out
 * with tar), and over real rpmdbs changed by the real rpm (erase --justdb, --import of a real signing key).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FileVersion, MergedView } from '../../../src/image/types.js';
import { attributionWindow, RPMDB_MAX_SIZE, rpmAnalyzer } from '../../../src/inventory/os/rpm/index.js';
import type { AnalyzerContext } from '../../../src/inventory/types.js';
import type { Mode, OsInfo } from '../../../src/model/report.js';
import { MemoryLogger } from '../../../src/util/logger.js';
import { haveShared, sharedPath } from '../../helpers/shared.js';
import {
  armorPublicKey,
  fakeLayers,
  fileFromLayer,
  haveRpm,
  imageLayers,
  memoryView,
  rpmIn,
  rpmQueryAll,
  rpmWorkDir,
} from './rpm-helpers.js';

const SHARED = haveShared();
const RPM = SHARED && haveRpm();

function osInfo(id: string, version_id: string, ecosystem: string | null): OsInfo {
  return {
    id,
    version_id,
    version_codename: null,
    name: null,
    pretty_name: null,
    id_like: [],
    source: 'usr/lib/os-release',
    ecosystem,
    eol: null,
  };
}

function ctx(
  files: MergedView,
  os: OsInfo | null,
  layers = 1,
  mode: Mode = 'light',
): AnalyzerContext & { logger: MemoryLogger } {
  return { files, layers: fakeLayers(layers), os, mode, logger: new MemoryLogger() };
}

const one = (body: Buffer | null, layer = 0, size = body?.length ?? 0): { versions: FileVersion[] } => ({
  versions: [{ layer, body, size }],
});

let rockyDb: Buffer;
let fedoraDb: Buffer;
const marinerPath = () => sharedPath('data', 'pkgdb', 'rpm', 'go-rpmdb-cbl-mariner-2.0', 'rpmdb.sqlite');
const bdbPath = () => sharedPath('data', 'pkgdb', 'rpm', 'scalibr-epoch', 'Packages');

describe.skipIf(!SHARED)('rpmAnalyzer', () => {
  beforeAll(() => {
    const rocky = sharedPath('images', 'rpm-rocky9.docker.tar');
    rockyDb = fileFromLayer(rocky, imageLayers(rocky)[0]!, 'var/lib/rpm/rpmdb.sqlite')!;
    const fedora = sharedPath('images', 'rpm-fedora38.docker-oci.tar');
    fedoraDb = fileFromLayer(fedora, imageLayers(fedora)[0]!, 'usr/lib/sysimage/rpm/rpmdb.sqlite')!;
  });

  it('declares the six rpmdb locations (and the sqlite WAL), and kind/modes', () => {
    const m = rpmAnalyzer.requests[0]!;
    for (const p of [
      'var/lib/rpm/rpmdb.sqlite',
      'var/lib/rpm/Packages',
      'var/lib/rpm/Packages.db',
      'usr/lib/sysimage/rpm/rpmdb.sqlite',
      'usr/lib/sysimage/rpm/Packages',
      'usr/lib/sysimage/rpm/Packages.db',
      'var/lib/rpm/rpmdb.sqlite-wal',
    ])
      expect(m.match(p), p).toBe(true);
    for (const p of ['/var/lib/rpm/Packages', 'var/lib/rpm/Name', 'var/lib/rpm/Packages.bak', 'x/var/lib/rpm/Packages'])
      expect(m.match(p), p).toBe(false);
    expect(m.maxSize).toBe(RPMDB_MAX_SIZE);
    expect(rpmAnalyzer.kind).toBe('os');
    expect(rpmAnalyzer.modes).toEqual(['light', 'deep']);
    expect(rpmAnalyzer.name).toBe('os/rpm');
  });

  it('Rocky 9 image: packages, epoch convention, purl, source, layer, location', async () => {
    const c = ctx(memoryView({ 'var/lib/rpm/rpmdb.sqlite': one(rockyDb) }), osInfo('rocky', '9.2', 'Rocky Linux:9'));
    const r = await rpmAnalyzer.analyze(c);
    expect(r.problems).toEqual([]);
    expect(r.osDatabaseFound).toBe(true);
    expect(r.packages.map((p) => p.name).sort()).toEqual(['bash', 'openssl-libs', 'rocky-release', 'zlib']);
    const ssl = r.packages.find((p) => p.name === 'openssl-libs')!;
    expect(ssl).toMatchObject({
      version: '1:3.0.7-24.el9',
      type: 'rpm',
      arch: 'x86_64',
      source_name: 'openssl-libs',
      source_version: '1:3.0.7-24.el9',
      purl: 'pkg:rpm/rocky/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=rocky-9.2&epoch=1',
      location: 'var/lib/rpm/rpmdb.sqlite',
      ecosystem: 'Rocky Linux:9',
      found_by: 'os/rpm',
      layer: { index: 0, digest: c.layers[0]!.digest, created_by: 'layer 0' },
    });
    expect(ssl.metadata).toMatchObject({
      epoch: 1,
      release: '24.el9',
      source_rpm: 'openssl-libs-3.0.7-24.el9.src.rpm',
      license: 'MIT',
    });
    const bash = r.packages.find((p) => p.name === 'bash')!;
    expect(bash.version).toBe('5.1.8-6.el9_1');
    expect(bash.purl).toBe('pkg:rpm/rocky/bash@5.1.8-6.el9_1?arch=x86_64&distro=rocky-9.2');
    expect(bash.metadata?.epoch).toBeNull();
    expect(bash.files).toBeUndefined();
  });

  it('Fedora 38 image: var/lib/rpm symlink to usr/lib/sysimage/rpm gives one DB, located at its real path', async () => {
    const view = memoryView(
      { 'usr/lib/sysimage/rpm/rpmdb.sqlite': one(fedoraDb) },
      { 'var/lib/rpm': 'usr/lib/sysimage/rpm' },
    );
    const r = await rpmAnalyzer.analyze(ctx(view, osInfo('fedora', '38', null)));
    expect(r.problems).toEqual([]);
    expect(r.packages.map((p) => `${p.name} ${p.version}`).sort()).toEqual([
      'curl 8.0.1-1.fc38',
      'fedora-release-common 38-36',
    ]);
    expect(new Set(r.packages.map((p) => p.location))).toEqual(new Set(['usr/lib/sysimage/rpm/rpmdb.sqlite']));
    expect(r.packages[0]!.purl).toMatch(/^pkg:rpm\/fedora\/.*distro=fedora-38/);
  });

  it('deep mode lists files; light mode does not', async () => {
    const view = memoryView({ 'var/lib/rpm/rpmdb.sqlite': one(rockyDb) });
    const r = await rpmAnalyzer.analyze(ctx(view, null, 1, 'deep'));
    expect(r.packages.find((p) => p.name === 'bash')!.files).toEqual(['/usr/share/doc/bash/README']);
    expect(r.packages.every((p) => p.purl.startsWith('pkg:rpm/') && !p.purl.includes('distro='))).toBe(true);
  });

  it('no rpmdb: no packages and no OS database found', async () => {
    const r = await rpmAnalyzer.analyze(ctx(memoryView({}), null));
    expect(r).toEqual({ packages: [], problems: [] });
  });

  it('a DB over the size cap is reported, not read', async () => {
    const r = await rpmAnalyzer.analyze(
      ctx(memoryView({ 'var/lib/rpm/Packages': one(null, 0, RPMDB_MAX_SIZE + 1) }), null),
    );
    expect(r.osDatabaseFound).toBe(true);
    expect(r.packages).toEqual([]);
    expect(r.problems).toEqual([{ path: 'var/lib/rpm/Packages', message: expect.stringContaining('not read') }]);
  });

  it('sqlite wins over a leftover Berkeley DB beside it (which is logged)', async () => {
    const c = ctx(
      memoryView({ 'var/lib/rpm/rpmdb.sqlite': one(rockyDb), 'var/lib/rpm/Packages': one(readFileSync(bdbPath())) }),
      null,
    );
    const r = await rpmAnalyzer.analyze(c);
    expect(r.packages.map((p) => p.name).sort()).toEqual(['bash', 'openssl-libs', 'rocky-release', 'zlib']);
    expect(r.problems).toEqual([]);
    expect(c.logger.lines.some((l) => l.message.includes('var/lib/rpm/Packages ignored'))).toBe(true);
  });

  it('an unreadable sqlite falls back to the Berkeley DB, and says so', async () => {
    const c = ctx(
      memoryView({
        'var/lib/rpm/rpmdb.sqlite': one(Buffer.from('not a database at all')),
        'var/lib/rpm/Packages': one(readFileSync(bdbPath())),
      }),
      null,
    );
    const r = await rpmAnalyzer.analyze(c);
    expect(r.packages.map((p) => `${p.name} ${p.version}`)).toEqual(['hello 1:0.0.1-rls']);
    expect(r.problems.map((p) => p.path)).toEqual(['var/lib/rpm/rpmdb.sqlite', 'var/lib/rpm/Packages']);
    expect(r.problems[0]!.message).toMatch(/not an SQLite database/);
    expect(r.problems[1]!.message).toMatch(
      /read from var\/lib\/rpm\/Packages because var\/lib\/rpm\/rpmdb.sqlite could not be read/,
    );
  });

  it('same format in both folders: the one the higher layer wrote wins', async () => {
    const view = memoryView({
      'var/lib/rpm/rpmdb.sqlite': one(rockyDb, 0),
      'usr/lib/sysimage/rpm/rpmdb.sqlite': one(fedoraDb, 1),
    });
    const r = await rpmAnalyzer.analyze(ctx(view, null, 2));
    expect(r.packages.map((p) => p.name).sort()).toEqual(['curl', 'fedora-release-common']);
  });

  it('attribution window is bounded', () => {
    const vs: FileVersion[] = Array.from({ length: 20 }, (_, layer) => ({ layer, body: Buffer.alloc(1), size: 1 }));
    const w = attributionWindow(vs);
    expect(w.length).toBe(16);
    expect(w[0]!.layer).toBe(4);
    expect(w[15]!.layer).toBe(19);
  });
});

describe.skipIf(!RPM)('rpmAnalyzer over DBs changed by the real rpm', () => {
  it('gpg-pubkey entries: rpm -qa lists them, the analyzer skips them (and only them)', async () => {
    const keyring = '/usr/share/keyrings/debian-archive-bookworm-stable.gpg';
    if (!existsSync(keyring))
      throw new Error(`${keyring} missing (debian-archive-keyring): needed for a real signing key`);
    const w = rpmWorkDir(readFileSync(marinerPath()), 'rpmdb.sqlite');
    try {
      const asc = rpmWorkDir(Buffer.from(armorPublicKey(readFileSync(keyring))), 'key.asc');
      try {
        rpmIn(w.dir, ['--import', asc.file]);
      } finally {
        asc.cleanup();
      }
      const oracle = rpmQueryAll(w.file, 'sqlite');
      const keys = oracle.filter((o) => o.NAME === 'gpg-pubkey');
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.every((k) => k.ARCH === '(none)' && k.SOURCERPM === '(none)')).toBe(true);
      const body = readFileSync(w.file);
      const r = await rpmAnalyzer.analyze(
        ctx(memoryView({ 'var/lib/rpm/rpmdb.sqlite': one(body) }), osInfo('mariner', '2.0', null)),
      );
      expect(r.problems).toEqual([]);
      const expected = oracle
        .filter((o) => o.NAME !== 'gpg-pubkey')
        .map(
          (o) =>
            `${o.NAME} ${o.EPOCH !== '(none)' && o.EPOCH !== '0' ? o.EPOCH + ':' : ''}${o.VERSION}-${o.RELEASE} ${o.ARCH}`,
        )
        .sort();
      expect(expected.length).toBe(129);
      expect(r.packages.map((p) => `${p.name} ${p.version} ${p.arch}`).sort()).toEqual(expected);
      expect(r.packages[0]!.purl).toMatch(/^pkg:rpm\/mariner\//);
    } finally {
      w.cleanup();
    }
  });

  it('a non-empty sqlite WAL (made by the real sqlite: a commit never checkpointed) is reported', async () => {
    const w = rpmWorkDir(readFileSync(marinerPath()), 'rpmdb.sqlite');
    try {
      const py = [
        'import sqlite3, shutil, os, sys',
        'c = sqlite3.connect(sys.argv[1]); c.execute("pragma wal_autocheckpoint=0")',
        'c.execute("delete from Packages where hnum = (select min(hnum) from Packages)"); c.commit()',
        'shutil.copy(sys.argv[1], sys.argv[1] + ".main"); shutil.copy(sys.argv[1] + "-wal", sys.argv[1] + ".wal")',
        'os._exit(0)',
      ].join('\n');
      execFileSync('python3', ['-c', py, w.file]);
      const main = readFileSync(w.file + '.main');
      const wal = readFileSync(w.file + '.wal');
      expect(wal.length).toBeGreaterThan(32);
      const view = memoryView({
        'var/lib/rpm/rpmdb.sqlite': one(main),
        'var/lib/rpm/rpmdb.sqlite-wal': one(wal),
      });
      const r = await rpmAnalyzer.analyze(ctx(view, null));
      expect(r.packages.length).toBe(129);
      expect(r.problems).toEqual([
        {
          path: 'var/lib/rpm/rpmdb.sqlite-wal',
          message: expect.stringMatching(/write-ahead log holds \d+ bytes of changes not applied/),
        },
      ]);
    } finally {
      w.cleanup();
    }
  });

  it('layer attribution: a package added by a later layer is attributed to it, the rest to the first', async () => {
    const w = rpmWorkDir(rockyDb, 'rpmdb.sqlite');
    try {
      rpmIn(w.dir, ['-e', '--justdb', '--nodeps', 'zlib']);
      expect(
        rpmQueryAll(w.file, 'sqlite')
          .map((o) => o.NAME)
          .sort(),
      ).toEqual(['bash', 'openssl-libs', 'rocky-release']);
      const lower = readFileSync(w.file);
      // layer 2 rewrites the DB without touching packages: imports a real signing key into the layer-1 DB.
      const upper = rpmWorkDir(rockyDb, 'rpmdb.sqlite');
      let top: Buffer;
      try {
        const asc = rpmWorkDir(
          Buffer.from(armorPublicKey(readFileSync('/usr/share/keyrings/debian-archive-bookworm-stable.gpg'))),
          'key.asc',
        );
        try {
          rpmIn(upper.dir, ['--import', asc.file]);
        } finally {
          asc.cleanup();
        }
        top = readFileSync(upper.file);
      } finally {
        upper.cleanup();
      }
      expect(top.equals(rockyDb)).toBe(false);
      // layer 0: without zlib; layer 1: the real DB (zlib installed); layer 2: + a gpg-pubkey.
      const view = memoryView({
        'var/lib/rpm/rpmdb.sqlite': {
          versions: [
            { layer: 0, body: lower, size: lower.length },
            { layer: 1, body: rockyDb, size: rockyDb.length },
            { layer: 2, body: top, size: top.length },
          ],
        },
      });
      const c = ctx(view, null, 3);
      const r = await rpmAnalyzer.analyze(c);
      const layerOf = Object.fromEntries(r.packages.map((p) => [p.name, p.layer?.index]));
      expect(layerOf).toEqual({ bash: 0, 'openssl-libs': 0, 'rocky-release': 0, zlib: 1 });
      expect(r.packages.find((p) => p.name === 'zlib')!.layer).toEqual({
        index: 1,
        digest: c.layers[1]!.digest,
        created_by: 'layer 1',
      });
    } finally {
      w.cleanup();
    }
  });
});
