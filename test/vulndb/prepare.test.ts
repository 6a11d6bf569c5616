/**
 * prepareVulnDb against a local stand-in for OSV's bucket (node:http on 127.0.0.1) serving the real shared
 * zips: cold download, today's cache hit, stale cache refreshed incrementally, refresh failures, download
 * failures (404, 500, timeout, connection reset, truncated zip), corrupt records, a throwing cache, db-path
 * folder and file (offline), corrupt DB files. Every request the stand-in gets is checked.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../src/util/logger.js';
import { buildDb } from '../../src/vulndb/build.js';
import { type CacheStore, DiskCacheStore } from '../../src/vulndb/cache.js';
import type { FetchLike } from '../../src/vulndb/http.js';
import { type PrepareVulnDbOptions, prepareVulnDb } from '../../src/vulndb/prepare.js';
import { DbFormatError } from '../../src/vulndb/store-format.js';
import { readDbFile } from '../../src/vulndb/store-reader.js';
import { writeDbFile } from '../../src/vulndb/store-writer.js';
import { haveShared, sharedPath } from '../helpers/shared.js';
import { BucketServer, folderFromZip, makeZip } from './bucket-server.js';
import { oracle } from './helpers.js';

// Node's global fetch is what production passes.
const nodeFetch: FetchLike = fetch;

const DAY = 86_400_000;
const TODAY = new Date('2026-11-20T10:00:00Z');
const ECOS = ['Alpine:v3.10', 'PyPI'];
const PATH_SHAPE = /^\/(Alpine|PyPI)\/(all\.zip|modified_id\.csv|[A-Za-z0-9._%-]+\.json)$/;

describe.runIf(haveShared())('prepareVulnDb with a stand-in OSV bucket', () => {
  let server: BucketServer;
  let tmp: string;
  let alpineZip: Uint8Array;
  let pypiZip: Uint8Array;
  let oldPypiZip: Uint8Array;
  let newestPypi: string[];
  const fetched: string[] = [];
  const countingFetch: FetchLike = (url, init) => {
    fetched.push(url);
    return nodeFetch(url, init);
  };

  beforeAll(async () => {
    alpineZip = new Uint8Array(readFileSync(sharedPath('data', 'osv', 'Alpine', 'all.zip')));
    pypiZip = new Uint8Array(readFileSync(sharedPath('data', 'osv', 'PyPI', 'all.zip')));
    // The "old" PyPI: the real zip without its 5 most recently modified records.
    const files = unzipSync(pypiZip);
    const byModified = Object.entries(files)
      .map(([name, bytes]) => ({
        name,
        bytes,
        rec: JSON.parse(new TextDecoder().decode(bytes)) as { id: string; modified: string },
      }))
      .sort((a, b) => (Date.parse(b.rec.modified) || 0) - (Date.parse(a.rec.modified) || 0));
    newestPypi = byModified
      .slice(0, 5)
      .map((r) => r.rec.id)
      .sort();
    expect(Date.parse(byModified[4]!.rec.modified)).toBeGreaterThan(Date.parse(byModified[5]!.rec.modified));
    oldPypiZip = makeZip(Object.fromEntries(byModified.slice(5).map((r) => [r.name, r.bytes])));
  });

  beforeEach(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'vulndb-prepare-'));
    server = await new BucketServer().start();
    server.folders.set('Alpine', folderFromZip(alpineZip));
    server.folders.set('PyPI', folderFromZip(pypiZip));
    fetched.length = 0;
  });

  afterEach(async () => {
    for (const r of server.requests) expect(r).toMatch(PATH_SHAPE);
    await server.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  afterAll(() => undefined);

  function options(
    over: Partial<PrepareVulnDbOptions> & { now?: Date } = {},
  ): PrepareVulnDbOptions & { logger: MemoryLogger } {
    const now = over.now ?? TODAY;
    return {
      ecosystems: ECOS,
      settings: { dbPath: null, dbUrl: server.url, dbCache: true, dbMaxAge: 0, ...over.settings },
      fetch: countingFetch,
      cache: new DiskCacheStore(join(tmp, 'cache')),
      clock: () => now,
      workDir: join(tmp, 'work'),
      http: { headersTimeoutMs: 1500, idleTimeoutMs: 1500, attempts: 2, backoffMs: 10 },
      ...over,
      logger: (over.logger as MemoryLogger | undefined) ?? new MemoryLogger(),
    } as PrepareVulnDbOptions & { logger: MemoryLogger };
  }

  it("cold: downloads only the needed bucket folders, builds, saves; then today's cache hit makes no request", async () => {
    const first = await prepareVulnDb(options());
    expect(first.reasons).toEqual([]);
    expect(first.downloaded).toBe(true);
    expect(first.saved).toBe(true);
    expect(server.requests.sort()).toEqual(['/Alpine/all.zip', '/PyPI/all.zip']);
    const db = first.db!;
    expect(db.lookup('Alpine:v3.10', 'musl').map((e) => e.record.id)).toEqual(
      oracle(['lookup', 'Alpine:v3.10', 'musl', sharedPath('data', 'osv', 'Alpine', 'all.zip')]),
    );
    // Only the release asked for is kept from Alpine/all.zip.
    expect(db.ecosystems().sort()).toEqual(['Alpine:v3.10', 'PyPI']);
    expect(db.lookup('Alpine:v3.11', 'musl')).toEqual([]);
    expect(first.ageSeconds).toBe(0);
    db.close();

    server.requests.length = 0;
    const later = new Date(TODAY.getTime() + 3 * 3600_000);
    const second = await prepareVulnDb(options({ now: later }));
    expect(server.requests).toEqual([]);
    expect(second.downloaded).toBe(false);
    expect(second.saved).toBe(false);
    expect(second.reasons).toEqual([]);
    expect(second.ageSeconds).toBe(3 * 3600);
    expect(second.db!.lookup('PyPI', 'JW_Util').length).toBeGreaterThan(0);
    second.db!.close();
  });

  it('stale cache, refresh OK: fetches modified_id.csv and only the records modified since', async () => {
    server.folders.set('PyPI', folderFromZip(oldPypiZip));
    const old = await prepareVulnDb(options({ now: new Date(TODAY.getTime() - 4 * DAY) }));
    expect(old.saved).toBe(true);
    for (const id of newestPypi) expect(old.db!.lookup('PyPI', 'x').some((e) => e.record.id === id)).toBe(false);
    old.db!.close();

    server.folders.set('PyPI', folderFromZip(pypiZip));
    server.requests.length = 0;
    const res = await prepareVulnDb(options());
    expect(res.reasons).toEqual([]);
    expect(res.downloaded).toBe(true);
    expect(res.saved).toBe(true);
    const pypiJson = server.requests
      .filter((r) => r.startsWith('/PyPI/') && r.endsWith('.json'))
      .map((r) => decodeURIComponent(r.slice(6, -5)))
      .sort();
    expect(pypiJson).toEqual(newestPypi);
    expect(server.requests).not.toContain('/PyPI/all.zip');
    expect(server.requests).toContain('/PyPI/modified_id.csv');
    expect(server.requests).toContain('/Alpine/modified_id.csv');
    expect(server.requests).not.toContain('/Alpine/all.zip');
    // The new records are found under their packages.
    const files = unzipSync(pypiZip);
    for (const id of newestPypi) {
      const rec = JSON.parse(new TextDecoder().decode(files[`${id}.json`]!)) as {
        affected: { package: { name: string } }[];
      };
      const name = rec.affected[0]!.package.name;
      expect(res.db!.lookup('PyPI', name).map((e) => e.record.id)).toContain(id);
    }
    expect(res.ageSeconds).toBe(0);
    res.db!.close();
  });

  it('stale cache, server 500: scans with the old DB and says how old it is', async () => {
    const old = await prepareVulnDb(options({ now: new Date(TODAY.getTime() - 4 * DAY) }));
    old.db!.close();
    server.requests.length = 0;
    server.misbehave.set('/PyPI/*', { status: 500 });
    server.misbehave.set('/Alpine/*', { status: 500 });
    const res = await prepareVulnDb(options());
    expect(res.db).not.toBeNull();
    expect(res.reasons).toHaveLength(1);
    expect(res.reasons[0]!.code).toBe('vulndb_stale');
    expect(res.reasons[0]!.message).toMatch(/is 4 days old/);
    expect(res.reasons[0]!.message).toMatch(/HTTP 500/);
    expect(res.saved).toBe(false);
    expect(res.db!.lookup('Alpine:v3.10', 'musl').length).toBeGreaterThan(0);
    expect(res.ageSeconds).toBe(4 * 86400);
    // csv (2 attempts) then all.zip (2 attempts) per folder.
    expect(server.requests.filter((r) => r === '/PyPI/all.zip')).toHaveLength(2);
    expect(server.requests.filter((r) => r === '/PyPI/modified_id.csv')).toHaveLength(2);
    res.db!.close();
  });

  const failures: [string, Parameters<BucketServer['misbehave']['set']>[1], RegExp, number][] = [
    ['404', { status: 404 }, /HTTP 404/, 1],
    ['500', { status: 500 }, /HTTP 500/, 2],
    ['timeout', 'hang', /timeout/, 2],
    ['connection reset', 'reset', /connection|terminated|socket|ECONNRESET/i, 2],
    ['truncated zip', 'truncate', /truncated/, 1],
  ];
  for (const [what, mode, msg, attempts] of failures) {
    it(`no cache, ${what}: vulndb_unavailable saying why`, async () => {
      server.misbehave.set('/PyPI/all.zip', mode);
      server.misbehave.set('/Alpine/all.zip', mode);
      const res = await prepareVulnDb(options());
      expect(res.db).toBeNull();
      expect(res.reasons).toHaveLength(1);
      expect(res.reasons[0]!.code).toBe('vulndb_unavailable');
      expect(res.reasons[0]!.message).toMatch(msg);
      expect(server.requests.filter((r) => r === '/PyPI/all.zip')).toHaveLength(attempts);
      expect(res.saved).toBe(false);
    }, 30_000);
  }

  it('one folder failing, the other fine: DB for what came, vulndb_unavailable names the rest', async () => {
    server.misbehave.set('/PyPI/all.zip', { status: 503 });
    const res = await prepareVulnDb(options());
    expect(res.db!.ecosystems()).toEqual(['Alpine:v3.10']);
    expect(res.reasons.map((r) => r.code)).toEqual(['vulndb_unavailable']);
    expect(res.reasons[0]!.message).toMatch(/PyPI.*HTTP 503/);
    res.db!.close();
  });

  it('a corrupt record among good ones is skipped and named', async () => {
    const files = unzipSync(alpineZip);
    const names = Object.keys(files).slice(0, 50);
    const entries = Object.fromEntries(names.map((n) => [n, files[n]!]));
    const victim = names[10]!;
    entries[victim] = files[victim]!.subarray(0, 40); // cut mid-JSON
    server.folders.set('Alpine', folderFromZip(makeZip(entries)));
    const res = await prepareVulnDb(options({ ecosystems: ['Alpine:v3.10'] }));
    expect(res.reasons).toEqual([]);
    const skipped = res.db!.meta().skipped;
    expect(skipped).toHaveLength(1);
    expect(skipped[0]!.file).toBe(`${server.url}/Alpine/all.zip:${victim}`);
    expect(skipped[0]!.reason).toMatch(/invalid JSON/);
    res.db!.close();
  });

  it('a cache store that throws (restore and save) is only a warning', async () => {
    const broken: CacheStore = {
      restore: () => Promise.reject(new Error('cache service down')),
      save: () => Promise.reject(new Error('cache service down')),
    };
    const o = options({ cache: broken });
    const res = await prepareVulnDb(o);
    expect(res.reasons).toEqual([]);
    expect(res.db).not.toBeNull();
    expect(res.saved).toBe(false);
    const warns = o.logger.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(warns.some((w) => /restore failed: cache service down/.test(w))).toBe(true);
    expect(warns.some((w) => /save failed: cache service down/.test(w))).toBe(true);
    res.db!.close();
  });

  it('a slow cache is abandoned with a warning; "already saved by another job" is fine', async () => {
    const slow: CacheStore = {
      restore: () => new Promise(() => undefined),
      save: () =>
        Promise.reject(
          Object.assign(new Error('Unable to reserve cache with key X, another job may be creating this cache.'), {
            name: 'ReserveCacheError',
          }),
        ),
    };
    const o = options({ cache: slow, cacheTimeoutMs: 200 });
    const res = await prepareVulnDb(o);
    expect(res.reasons).toEqual([]);
    expect(res.saved).toBe(false);
    expect(o.logger.lines.some((l) => l.level === 'warn' && /took longer than/.test(l.message))).toBe(true);
    expect(o.logger.lines.some((l) => l.level === 'info' && /already saved/.test(l.message))).toBe(true);
    expect(o.logger.lines.some((l) => l.level === 'warn' && /save failed/.test(l.message))).toBe(false);
    res.db!.close();
  });

  it("db-max-age: a DB older than it is vulndb_stale (today's cache, refresh failing)", async () => {
    const old = await prepareVulnDb(options({ now: new Date(TODAY.getTime() - 2 * 3600_000) }));
    old.db!.close();
    server.misbehave.set('/PyPI/*', { status: 500 });
    server.misbehave.set('/Alpine/*', { status: 500 });
    const res = await prepareVulnDb(
      options({ settings: { dbPath: null, dbUrl: server.url, dbCache: true, dbMaxAge: 3600 } }),
    );
    expect(res.reasons.map((r) => r.code)).toEqual(['vulndb_stale']);
    expect(res.reasons[0]!.message).toMatch(/2 hours old/);
    res.db!.close();
  });
});

describe.runIf(haveShared())('prepareVulnDb offline (db-path): never fetches', () => {
  let tmp: string;
  const never: FetchLike = () => {
    throw new Error('fetch must not be called with db-path');
  };
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'vulndb-offline-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const opts = (dbPath: string, dbMaxAge = 0): PrepareVulnDbOptions => ({
    ecosystems: ['Debian:12', 'Alpine:v3.10'],
    settings: { dbPath, dbUrl: 'http://127.0.0.1:9/never', dbCache: true, dbMaxAge },
    fetch: never,
    cache: {
      restore: () => Promise.reject(new Error('no cache with db-path')),
      save: () => Promise.reject(new Error('no')),
    },
    logger: new MemoryLogger(),
  });

  it('a folder laid out as OSV publishes', async () => {
    const res = await prepareVulnDb(opts(sharedPath('data', 'osv')));
    expect(res.reasons).toEqual([]);
    expect(res.downloaded).toBe(false);
    expect(res.db!.lookup('Debian:12', 'perl')).toHaveLength(13);
    expect(res.db!.lookup('Alpine:v3.10', 'musl').length).toBeGreaterThan(0);
    expect(res.db!.ecosystems().sort()).toEqual(['Alpine:v3.10', 'Debian:12']);
    res.db!.close();
  }, 120_000);

  it('a built DB file; db-max-age makes an old one stale', async () => {
    const file = join(tmp, 'db.sqlite');
    const built = new Date(Date.now() - 10 * DAY);
    await writeDbFile(
      file,
      await buildDb(
        [
          {
            kind: 'zip-stream',
            name: 'Alpine',
            base: 'Alpine',
            download: true,
            chunks: (async function* () {
              yield new Uint8Array(readFileSync(sharedPath('data', 'osv', 'Alpine', 'all.zip')));
            })(),
          },
        ],
        { source: 'test', clock: () => built },
      ),
    );
    const res = await prepareVulnDb(opts(file));
    expect(res.reasons).toEqual([]);
    expect(res.db!.lookup('Alpine:v3.10', 'musl').length).toBeGreaterThan(0);
    expect(Math.round(res.ageSeconds! / 86400)).toBe(10);
    res.db!.close();
    const stale = await prepareVulnDb(opts(file, 7 * 86400));
    expect(stale.reasons.map((r) => r.code)).toEqual(['vulndb_stale']);
    expect(stale.reasons[0]!.message).toMatch(/10 days old/);
    stale.db!.close();
  });

  it('a corrupt or foreign DB file is detected', async () => {
    const good = join(tmp, 'db.sqlite');
    const bytes = readFileSync(good);
    const truncated = join(tmp, 'truncated.sqlite');
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 3)));
    const garbage = join(tmp, 'garbage.sqlite');
    writeFileSync(garbage, 'this is not a database\n'.repeat(20));
    const damaged = join(tmp, 'damaged.sqlite');
    const d = Buffer.from(bytes);
    for (let i = 8192; i < d.length; i += 4096) d.fill(0xa5, i, i + 64);
    writeFileSync(damaged, d);
    for (const f of [truncated, garbage, damaged]) {
      await expect(readDbFile(f)).rejects.toBeInstanceOf(DbFormatError);
      const res = await prepareVulnDb(opts(f));
      expect(res.db).toBeNull();
      expect(res.reasons[0]!.code).toBe('vulndb_unavailable');
      expect(res.reasons[0]!.message).toContain(f);
    }
    const missing = await prepareVulnDb(opts(join(tmp, 'nope')));
    expect(missing.reasons[0]!.message).toMatch(/does not exist/);
  });
});
