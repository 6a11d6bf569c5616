/**
 * Getting the vulnerability DB a scan needs (settings db-path, db-url, db-cache, db-max-age):
 *
 * - `dbPath` set: offline. A folder laid out as OSV publishes (`<Ecosystem>/all.zip`, loose `*.json`) is built
 *   in memory; a file is opened as a built DB. Nothing is downloaded, the cache is not used.
 * - otherwise the cache is asked for today's DB (key per ecosystem set and UTC day), else the newest older one.
 *   Today's DB (and not older than db-max-age) is used as is. An older one is refreshed per bucket folder
 *   (incremental from modified_id.csv, else all.zip); a failed refresh keeps the old data and adds
 *   `vulndb_stale` saying how old it is. Without any DB, a failed download is `vulndb_unavailable`.
 * - db-max-age (seconds, 0 = never): `vulndb_stale` when the DB in use is older.
 * - Cache trouble (restore/save throwing or slow) is a warning, never a failure. The DB is saved only when it
 *   changed; a save refused because another job saved the same key first is fine.
 * Only the base ecosystems the inventory needs are downloaded (`Debian:12` → `Debian/all.zip`), and only the
 * releases asked for are kept.
 */
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Logger } from '../util/logger.js';
import { type CacheStore, cacheKeys } from './cache.js';
import type { UpdateOutcome } from './download.js';
import { baseEcosystem, bucketFolders } from './ecosystems.js';
import type { FetchLike, HttpTuning } from './http.js';
import type { SourceInfo } from './schema.js';
import { type OpenedVulnDb, openDb, readDbFile } from './store-reader.js';
import { DbWriter, writeDbFile } from './store-writer.js';
import type { VulnDb } from './types.js';

export interface VulnDbReason {
  code: 'vulndb_unavailable' | 'vulndb_stale';
  message: string;
}

export interface PrepareVulnDbOptions {
  /** Ecosystems of the inventory, with release where packages carry it (`Debian:12`, `Alpine:v3.10`, `PyPI`). */
  ecosystems: readonly string[];
  settings: { dbPath: string | null; dbUrl: string; dbCache: boolean; dbMaxAge: number };
  fetch: FetchLike;
  /** null: no cache (dbCache false has the same effect). */
  cache: CacheStore | null;
  clock?: () => Date;
  logger: Logger;
  signal?: AbortSignal;
  /**
   * Folder for the DB file the cache saves/restores. The action passes a fixed one under RUNNER_TEMP
   * (@actions/cache versions its entries by the paths saved, so the path must be the same in every run; the
   * runner's temp folder is the job's own). Unset (the CLI): a fresh folder per run, see `makeWorkDir`.
   */
  workDir?: string;
  http?: Partial<HttpTuning>;
  /** A cache restore or save taking longer is abandoned with a warning. */
  cacheTimeoutMs?: number;
  maxIncremental?: number;
  fullEveryDays?: number;
  /** The db-path file opened ahead of time (openDbPathEarly), used when it is for `settings.dbPath`. */
  early?: EarlyDbPath;
}

/**
 * Larger DB files are opened by the DB stage as before: an open DB holds its whole file in memory, which
 * must not add to the image read's peak RSS.
 */
export const EARLY_OPEN_MAX_BYTES = 8 * 1024 * 1024;

/** A db-path opened while the scan read its image: the DB when the path is a file, else null. */
export interface EarlyDbPath {
  path: string;
  db: Promise<OpenedVulnDb | null>;
}

/**
 * Starts opening `path` as a DB file (offline scans: the file is known before the inventory). Resolves to
 * null when the path is not a file, or a file over EARLY_OPEN_MAX_BYTES (a folder is built for the ecosystems the inventory finds; a missing path
 * is reported by the DB stage); a file that cannot be opened rejects with the error `readDbFile` gives, which
 * the DB stage reports exactly as if it had opened the file itself. Never an unhandled rejection.
 */
export function openDbPathEarly(path: string): EarlyDbPath {
  const db = stat(path).then(
    (s) => (s.isFile() && s.size <= EARLY_OPEN_MAX_BYTES ? readDbFile(path) : null),
    () => null,
  );
  db.catch(() => {
    /* consumed (and reported) by prepareVulnDb */
  });
  return { path, db };
}

export interface PreparedVulnDb {
  db: VulnDb | null;
  reasons: VulnDbReason[];
  /** Where the DB came from, in words (`https://… (cache key …, refreshed)`, a db-path). */
  source: string;
  /** Age of the DB's data in seconds (oldest bucket folder the scan needs), null when unknown. */
  ageSeconds: number | null;
  downloaded: boolean;
  saved: boolean;
}

// Loaded when a scan builds or downloads a DB: a scan with a ready DB file (db-path, the common offline case)
// skips the OSV readers, fflate and the worker_threads module fflate loads (~10 ms of start-up).
const buildModule = () => import(/* webpackMode: "eager" */ './build.js');
const downloadModules = () =>
  Promise.all([import(/* webpackMode: "eager" */ './download.js'), import(/* webpackMode: "eager" */ './http.js')]);

export const DB_FILE_NAME = 'vulndb.sqlite';

/**
 * The work folder of a run without a `workDir` (the CLI). Not a fixed shared path such as
 * `$TMPDIR/scanrook-vulndb`: another local user could plant a symlink there, or swap the DB between its
 * restore and its read. `mkdtemp` makes a new folder with a random name, exclusively, mode 0700, so no one
 * else can create, replace or read the files in it; two scans (whatever their --db-cache-dir) never share
 * one. The CLI's DiskCacheStore keys need no fixed path. Removed when the run is done.
 */
async function makeWorkDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'scanrook-vulndb-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** "45 minutes", "5 hours", "4 days". */
export function formatAge(seconds: number): string {
  if (seconds < 2 * 3600) return `${Math.max(0, Math.round(seconds / 60))} minutes`;
  if (seconds < 48 * 3600) return `${Math.round(seconds / 3600)} hours`;
  return `${Math.floor(seconds / 86400)} days`;
}

/** Age of the data for the bases needed: from the oldest `fetched_at` among their sources (all sources if none). */
export function dataAgeSeconds(
  sources: readonly SourceInfo[],
  ecosystems: readonly string[],
  now: Date,
): number | null {
  const bases = new Set(ecosystems.map(baseEcosystem));
  const own = sources.filter((s) => s.base && bases.has(s.base));
  const from = own.length ? own : sources;
  const times = from.map((s) => Date.parse(s.fetched_at)).filter((t) => !Number.isNaN(t));
  if (!times.length) return null;
  return Math.max(0, Math.round((now.getTime() - Math.min(...times)) / 1000));
}

function timed<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took longer than ${Math.round(ms / 1000)} s; going on without it`)),
      ms,
    );
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

function staleCheck(age: number | null, maxAge: number, what: string): VulnDbReason | null {
  if (!maxAge || age === null || age <= maxAge) return null;
  return {
    code: 'vulndb_stale',
    message: `${what} is ${formatAge(age)} old, older than db-max-age (${formatAge(maxAge)})`,
  };
}

async function offline(opts: PrepareVulnDbOptions, path: string, now: Date): Promise<PreparedVulnDb> {
  const none = (message: string): PreparedVulnDb => ({
    db: null,
    reasons: [{ code: 'vulndb_unavailable', message }],
    source: path,
    ageSeconds: null,
    downloaded: false,
    saved: false,
  });
  let s;
  try {
    s = await stat(path);
  } catch {
    return none(`db-path ${path} does not exist`);
  }
  let db: OpenedVulnDb;
  try {
    if (s.isDirectory()) {
      const { buildDb } = await buildModule();
      const bytes = await buildDb([{ kind: 'folder', path }], {
        source: path,
        ecosystems: opts.ecosystems.length ? opts.ecosystems : undefined,
        clock: opts.clock,
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      db = await openDb(bytes, path);
    } else {
      const early = opts.early?.path === path ? await opts.early.db : null;
      db = early ?? (await readDbFile(path));
    }
  } catch (e) {
    return none(`db-path ${path}: ${(e as Error).message}`);
  }
  const skipped = db.meta().skipped;
  if (skipped.length)
    opts.logger.warn(`${path}: ${skipped.length} OSV records skipped, e.g. ${skipped[0]!.file}: ${skipped[0]!.reason}`);
  const age = dataAgeSeconds(db.sources(), opts.ecosystems, now);
  const reasons: VulnDbReason[] = [];
  const stale = staleCheck(age, opts.settings.dbMaxAge, `the vulnerability DB at db-path ${path}`);
  if (stale) reasons.push(stale);
  return { db, reasons, source: path, ageSeconds: age, downloaded: false, saved: false };
}

/** The DB for a scan, with the reasons to report. Never throws for network, cache or data problems. */
export async function prepareVulnDb(opts: PrepareVulnDbOptions): Promise<PreparedVulnDb> {
  if (opts.workDir || !opts.settings.dbCache || !opts.cache || opts.settings.dbPath)
    return prepareIn(opts, opts.workDir);
  const work = await makeWorkDir();
  try {
    return await prepareIn(opts, work.dir);
  } finally {
    await work.remove().catch(() => undefined);
  }
}

async function prepareIn(opts: PrepareVulnDbOptions, workDir: string | undefined): Promise<PreparedVulnDb> {
  const clock = opts.clock ?? (() => new Date());
  const log = opts.logger;
  const now = clock();
  const { dbPath, dbUrl, dbCache, dbMaxAge } = opts.settings;
  if (dbPath) return offline(opts, dbPath, now);

  const ecosystems = [...new Set(opts.ecosystems)].sort();
  if (!ecosystems.length) {
    const { buildDb } = await buildModule();
    const db = await openDb(await buildDb([], { source: 'none (no packages to match)', ecosystems: [], clock }));
    return {
      db,
      reasons: [],
      source: 'none (no packages to match)',
      ageSeconds: null,
      downloaded: false,
      saved: false,
    };
  }
  const [{ DEFAULT_UPDATE, downloadSource, updateBase }, { DEFAULT_HTTP }] = await downloadModules();
  const bases = bucketFolders(ecosystems);
  const { primaryKey, restoreKeys } = cacheKeys(ecosystems, now);
  // No work folder: no cache either (prepareVulnDb makes one whenever there is a cache to use).
  const cache = dbCache && workDir ? opts.cache : null;
  const dbFile = join(workDir ?? '.', DB_FILE_NAME);
  const cacheTimeout = opts.cacheTimeoutMs ?? 300_000;

  // 1. Restore.
  let restoredKey: string | undefined;
  let restored: Uint8Array | undefined;
  let restoredSources: SourceInfo[] = [];
  let restoreProblem = '';
  if (cache) {
    try {
      await mkdir(dirname(dbFile), { recursive: true });
      await rm(dbFile, { force: true });
      restoredKey = await timed(
        cache.restore(dbFile, primaryKey, restoreKeys),
        cacheTimeout,
        'restoring the vulnerability DB from the cache',
      );
    } catch (e) {
      restoreProblem = (e as Error).message;
      log.warn(`vulnerability DB cache: restore failed: ${restoreProblem} (going on without the cached DB)`);
      restoredKey = undefined;
    }
    if (restoredKey) {
      try {
        const buf = await readFile(dbFile);
        restored = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
        const probe = await openDb(restored, `cached DB ${restoredKey}`);
        restoredSources = probe.sources();
        probe.close();
        log.info(`vulnerability DB restored from cache key ${restoredKey}`);
      } catch (e) {
        log.warn(
          `vulnerability DB cache: the restored DB (${restoredKey}) is unusable, ignoring it: ${(e as Error).message}`,
        );
        restored = undefined;
        restoredKey = undefined;
        restoredSources = [];
      }
    } else {
      log.info(`vulnerability DB: no cached DB for ${ecosystems.join(', ')}`);
    }
  }

  // 2. Today's DB, complete and young enough: use as is.
  if (restored && restoredKey === primaryKey && bases.every((b) => downloadSource(restoredSources, b))) {
    const age = dataAgeSeconds(restoredSources, ecosystems, now);
    if (!(dbMaxAge && age !== null && age > dbMaxAge)) {
      const db = await openDb(restored, `cached DB ${restoredKey}`);
      return {
        db,
        reasons: [],
        source: `${dbUrl} (cache key ${restoredKey})`,
        ageSeconds: age,
        downloaded: false,
        saved: false,
      };
    }
  }

  // 3. Download / refresh each bucket folder.
  const http = { fetch: opts.fetch, logger: log, signal: opts.signal, tuning: { ...DEFAULT_HTTP, ...opts.http } };
  const update = {
    baseUrl: dbUrl,
    clock,
    maxIncremental: opts.maxIncremental ?? DEFAULT_UPDATE.maxIncremental,
    fullEveryDays: opts.fullEveryDays ?? DEFAULT_UPDATE.fullEveryDays,
    concurrency: DEFAULT_UPDATE.concurrency,
  };
  let writer: DbWriter;
  try {
    writer = restored
      ? await DbWriter.open(restored, { source: dbUrl, ecosystems, clock })
      : await DbWriter.create({ source: dbUrl, ecosystems, clock });
  } catch (e) {
    log.warn(`vulnerability DB: cannot reuse the cached DB: ${(e as Error).message}`);
    restored = undefined;
    restoredSources = [];
    writer = await DbWriter.create({ source: dbUrl, ecosystems, clock });
  }
  const outcomes: UpdateOutcome[] = [];
  try {
    for (const base of bases) {
      const t0 = Date.now();
      const o = await updateBase(writer, base, http, update);
      outcomes.push(o);
      const took = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
      if (o.status === 'full')
        log.info(`${base}: downloaded all.zip, ${o.records} records (${o.skipped} skipped) in ${took}`);
      else if (o.status === 'incremental') log.info(`${base}: refreshed ${o.records} changed records in ${took}`);
      else if (o.status === 'absent') log.warn(o.message);
      else log.warn(`${base}: ${o.message}`);
    }
  } catch (e) {
    writer.abort();
    throw e;
  }
  for (const eco of ecosystems) {
    const base = baseEcosystem(eco);
    const o = outcomes.find((x) => x.base === base);
    if (o?.status === 'full' && !writer.hasEcosystem(eco)) log.warn(`${eco}: ${base}/all.zip has no advisories for it`);
  }

  const updated = outcomes.filter((o) => o.status === 'full' || o.status === 'incremental');
  const failed = outcomes.filter((o): o is Extract<UpdateOutcome, { status: 'failed' }> => o.status === 'failed');
  const absent = outcomes.filter((o): o is Extract<UpdateOutcome, { status: 'absent' }> => o.status === 'absent');
  const failedWithOld = failed.filter((o) => downloadSource(restoredSources, o.base));
  const failedWithout = failed.filter((o) => !downloadSource(restoredSources, o.base));
  const haveData = updated.length > 0 || bases.some((b) => downloadSource(restoredSources, b));

  if (!haveData) {
    writer.abort();
    const why = [...failed, ...absent].map((o) => o.message).join('; ');
    return {
      db: null,
      reasons: [
        {
          code: 'vulndb_unavailable',
          message: `no vulnerability DB could be downloaded from ${dbUrl}${restoredKey ? '' : ` or restored from the cache${restoreProblem ? ` (${restoreProblem})` : ''}`}: ${why}`,
        },
      ],
      source: dbUrl,
      ageSeconds: null,
      downloaded: false,
      saved: false,
    };
  }

  const changed = writer.changes > 0 || updated.length > 0;
  const bytes = writer.finish();
  const db = await openDb(bytes, 'vulnerability DB');
  const age = dataAgeSeconds(db.sources(), ecosystems, clock());
  const reasons: VulnDbReason[] = [];
  if (failedWithout.length) {
    reasons.push({
      code: 'vulndb_unavailable',
      message: `no vulnerability data for ${failedWithout.map((o) => o.base).join(', ')}: ${failedWithout.map((o) => o.message).join('; ')}`,
    });
  }
  if (failedWithOld.length) {
    const oldAge =
      dataAgeSeconds(
        restoredSources,
        failedWithOld.map((o) => o.base),
        now,
      ) ?? 0;
    reasons.push({
      code: 'vulndb_stale',
      message:
        `the cached vulnerability DB (${restoredKey}) is ${formatAge(oldAge)} old and could not be refreshed ` +
        `(${failedWithOld.map((o) => o.message).join('; ')}); scanning with it`,
    });
  } else {
    const stale = staleCheck(age, dbMaxAge, 'the vulnerability DB');
    if (stale) reasons.push(stale);
  }

  let saved = false;
  if (cache && changed) {
    try {
      await writeDbFile(dbFile, bytes);
      await timed(cache.save(dbFile, primaryKey), cacheTimeout, 'saving the vulnerability DB to the cache');
      saved = true;
      log.info(`vulnerability DB saved to the cache as ${primaryKey}`);
    } catch (e) {
      const msg = (e as Error).message ?? String(e);
      const name = (e as Error).name ?? '';
      if (/already exists|another job|ReserveCacheError|unable to reserve/i.test(`${name} ${msg}`)) {
        log.info(`vulnerability DB cache: ${primaryKey} was already saved (another job): ${msg}`);
      } else {
        log.warn(`vulnerability DB cache: save failed: ${msg}`);
      }
    }
  }
  const how = updated.length
    ? restoredKey
      ? `cache key ${restoredKey}, refreshed`
      : 'downloaded'
    : `cache key ${restoredKey}`;
  return { db, reasons, source: `${dbUrl} (${how})`, ageSeconds: age, downloaded: updated.length > 0, saved };
}
