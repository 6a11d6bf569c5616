/**
 * The DB work file and the CLI's disk cache against a hostile local user (issue 16 item 10): a symlink planted
 * at the old shared work path (`$TMPDIR/scanrook-vulndb`) or at a cache save's temporary name is never
 * followed; a cache entry whose bytes were swapped is not used; two scans with different cache folders do not
 * share a work file. Advisories are generated here (a PyPI zip served by the stand-in bucket on 127.0.0.1).
 *
 * TMPDIR points at this file's own folder before the code under test is imported, so the "shared temp
 * folder" planted into is a private one.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BucketServer, folderFromZip, makeZip } from './bucket-server.js';

const realTmp = tmpdir();
const sysTmp = mkdtempSync(join(realTmp, 'vulndb-workfile-tmp-'));
process.env.TMPDIR = sysTmp;
const { MemoryLogger } = await import('../../src/util/logger.js');
const { DiskCacheStore, cacheKeys } = await import('../../src/vulndb/cache.js');
const { prepareVulnDb } = await import('../../src/vulndb/prepare.js');
type CacheStore = import('../../src/vulndb/cache.js').CacheStore;
type PrepareVulnDbOptions = import('../../src/vulndb/prepare.js').PrepareVulnDbOptions;

const TODAY = new Date('2026-11-20T10:00:00Z');
const ECOS = ['PyPI'];
const OLD_WORK_DIR = join(sysTmp, 'scanrook-vulndb');

function record(id: string, name: string): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify({
      id,
      modified: '2026-11-01T00:00:00Z',
      affected: [
        {
          package: { ecosystem: 'PyPI', name },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }],
        },
      ],
    }),
  );
}
const REAL_ZIP = makeZip({ 'PYSEC-2026-1.json': record('PYSEC-2026-1', 'demo') });
// A zip whose one record is for another package: a DB built from it "finds nothing" for `demo`.
const POISON_ZIP = makeZip({ 'PYSEC-2026-9.json': record('PYSEC-2026-9', 'unrelated') });

/** A CacheStore passing through to `inner`, noting the work-file paths it is given and that folder's mode. */
class Recording implements CacheStore {
  readonly paths: string[] = [];
  readonly modes: number[] = [];
  constructor(readonly inner: CacheStore) {}
  private note(path: string): void {
    this.paths.push(path);
    this.modes.push(statSync(dirname(path)).mode & 0o777);
  }
  restore(path: string, primaryKey: string, restoreKeys: string[]) {
    this.note(path);
    return this.inner.restore(path, primaryKey, restoreKeys);
  }
  save(path: string, key: string) {
    this.note(path);
    return this.inner.save(path, key);
  }
}

describe('DB work file and disk cache against a hostile local user', () => {
  let server: BucketServer;
  let tmp: string;

  beforeEach(async () => {
    tmp = mkdtempSync(join(realTmp, 'vulndb-workfile-'));
    server = await new BucketServer().start();
    server.folders.set('PyPI', folderFromZip(REAL_ZIP));
  });
  afterEach(async () => {
    await server.stop();
    rmSync(tmp, { recursive: true, force: true });
    rmSync(OLD_WORK_DIR, { recursive: true, force: true });
  });
  afterAll(() => rmSync(sysTmp, { recursive: true, force: true }));

  function options(cache: CacheStore): PrepareVulnDbOptions & { logger: InstanceType<typeof MemoryLogger> } {
    return {
      ecosystems: ECOS,
      settings: { dbPath: null, dbUrl: server.url, dbCache: true, dbMaxAge: 0 },
      fetch,
      cache,
      clock: () => TODAY,
      logger: new MemoryLogger(),
      http: { headersTimeoutMs: 1500, idleTimeoutMs: 1500, attempts: 1, backoffMs: 10 },
    };
  }
  const ids = (r: Awaited<ReturnType<typeof prepareVulnDb>>) => r.db!.lookup('PyPI', 'demo').map((e) => e.record.id);

  it('a symlink planted at the old shared work folder (or its work file) is not followed', async () => {
    const victimDir = join(tmp, 'victim');
    mkdirSync(victimDir);
    writeFileSync(join(victimDir, 'vulndb.sqlite'), 'victim data\n');
    writeFileSync(join(tmp, 'victim-file'), 'victim file\n');
    // The folder itself a symlink to the victim's folder.
    symlinkSync(victimDir, OLD_WORK_DIR);
    const store = new Recording(new DiskCacheStore(join(tmp, 'cache')));
    const cold = await prepareVulnDb(options(store));
    expect(cold.saved).toBe(true);
    expect(ids(cold)).toEqual(['PYSEC-2026-1']);
    cold.db!.close();
    // And the file a symlink (in a real folder) to another victim file.
    rmSync(OLD_WORK_DIR);
    mkdirSync(OLD_WORK_DIR);
    symlinkSync(join(tmp, 'victim-file'), join(OLD_WORK_DIR, 'vulndb.sqlite'));
    const hit = await prepareVulnDb(options(store));
    expect(hit.downloaded).toBe(false);
    expect(ids(hit)).toEqual(['PYSEC-2026-1']);
    hit.db!.close();

    expect(readFileSync(join(victimDir, 'vulndb.sqlite'), 'utf8')).toBe('victim data\n');
    expect(readdirSync(victimDir)).toEqual(['vulndb.sqlite']);
    expect(readFileSync(join(tmp, 'victim-file'), 'utf8')).toBe('victim file\n');
    // Work files were in fresh 0700 folders (not the old path), removed after the run.
    expect(store.paths.length).toBeGreaterThanOrEqual(3);
    for (const p of store.paths) expect(p.startsWith(`${OLD_WORK_DIR}/`)).toBe(false);
    expect(store.modes.every((m) => m === 0o700)).toBe(true);
    for (const p of store.paths) expect(existsSync(dirname(p))).toBe(false);
  });

  it("a symlink planted at a cache save's temporary name is not followed; a failed save leaves no temporary file", async () => {
    const cacheDir = join(tmp, 'cache');
    mkdirSync(cacheDir);
    const victim = join(tmp, 'victim');
    writeFileSync(victim, 'victim\n');
    const key = cacheKeys(ECOS, TODAY).primaryKey;
    // The name the save used to write through: `<target>.<pid>.tmp`.
    symlinkSync(victim, join(cacheDir, `${key}.sqlite.${process.pid}.tmp`));
    const src = join(tmp, 'db.sqlite');
    writeFileSync(src, 'db bytes\n');
    const store = new DiskCacheStore(cacheDir);
    await store.save(src, key);
    expect(readFileSync(victim, 'utf8')).toBe('victim\n');
    expect(readFileSync(join(cacheDir, `${key}.sqlite`), 'utf8')).toBe('db bytes\n');

    const before = readdirSync(cacheDir).sort();
    await expect(store.save(join(tmp, 'missing.sqlite'), `${key.slice(0, -10)}2026-11-21`)).rejects.toThrow();
    expect(readdirSync(cacheDir).sort()).toEqual(before);
  });

  it('a cached DB whose bytes were swapped (hash mismatch) is not used: a fresh DB is built and it is said', async () => {
    const cacheDir = join(tmp, 'cache');
    const key = cacheKeys(ECOS, TODAY).primaryKey;
    const first = await prepareVulnDb(options(new DiskCacheStore(cacheDir)));
    expect(first.saved).toBe(true);
    first.db!.close();
    // The attacker's DB: built the same day for the same ecosystems, so it looks complete and current.
    server.folders.set('PyPI', folderFromZip(POISON_ZIP));
    const poisonDir = join(tmp, 'poison');
    const poison = await prepareVulnDb(options(new DiskCacheStore(poisonDir)));
    expect(ids(poison)).toEqual([]);
    poison.db!.close();
    writeFileSync(join(cacheDir, `${key}.sqlite`), readFileSync(join(poisonDir, `${key}.sqlite`)));

    server.folders.set('PyPI', folderFromZip(REAL_ZIP));
    server.requests.length = 0;
    const o = options(new DiskCacheStore(cacheDir));
    const res = await prepareVulnDb(o);
    expect(ids(res)).toEqual(['PYSEC-2026-1']);
    expect(res.downloaded).toBe(true);
    expect(server.requests).toEqual(['/PyPI/all.zip']);
    const warns = o.logger.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warns.some((w) => /restore failed: .*does not match its saved SHA-256/.test(w))).toBe(true);
    res.db!.close();

    // Without a download either: vulndb_unavailable says why the cache was not used.
    writeFileSync(join(cacheDir, `${key}.sqlite`), readFileSync(join(poisonDir, `${key}.sqlite`)));
    server.misbehave.set('/PyPI/all.zip', { status: 500 });
    const down = await prepareVulnDb(options(new DiskCacheStore(cacheDir)));
    expect(down.db).toBeNull();
    expect(down.reasons.map((r) => r.code)).toEqual(['vulndb_unavailable']);
    expect(down.reasons[0]!.message).toMatch(/restored from the cache \(cache entry .* SHA-256/);
  });

  it('two scans with different cache folders do not share a work file', async () => {
    const a = new Recording(new DiskCacheStore(join(tmp, 'cache-a')));
    const b = new Recording(new DiskCacheStore(join(tmp, 'cache-b')));
    const [ra, rb] = await Promise.all([prepareVulnDb(options(a)), prepareVulnDb(options(b))]);
    expect(ids(ra)).toEqual(['PYSEC-2026-1']);
    expect(ids(rb)).toEqual(['PYSEC-2026-1']);
    ra.db!.close();
    rb.db!.close();
    expect(a.paths.length).toBeGreaterThan(0);
    expect(b.paths.length).toBeGreaterThan(0);
    const dirsA = new Set(a.paths.map((p) => dirname(p)));
    const dirsB = new Set(b.paths.map((p) => dirname(p)));
    for (const d of dirsA) expect(dirsB.has(d)).toBe(false);
    for (const p of [...a.paths, ...b.paths]) expect(p.startsWith(`${OLD_WORK_DIR}/`)).toBe(false);
  });
});
