/**
 * The SQLite store (sql.js): writing a DB (DbWriter), opening one (openDb → VulnDb), and DB files on disk.
 * Layout: ./schema.ts.
 *
 * Decisions:
 * - Withdrawn records are STORED (with `withdrawn` set): a refresh must be able to replace an older,
 *   not-yet-withdrawn version of the same record, and the report can say a finding was withdrawn. Matching
 *   must ignore records with `withdrawn`.
 * - A record whose affected[] names several ecosystems is stored under each wanted one.
 * - The same (ecosystem, name, record id) read twice (a loose copy beside the zip, a refresh) keeps the
 *   newer `modified`.
 * - `AdvisoryEntry.record` comes back WITHOUT `affected`: the entries for the package looked up are in
 *   `AdvisoryEntry.affected`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Database, Statement } from 'sql.js';
import { loadSqlJs } from './sqlite.js';
import { baseEcosystem, ecosystemFilter } from './ecosystems.js';
import { normaliseName } from './names.js';
import type { RecordSink } from './read-zip.js';
import { DDL, SCHEMA_VERSION, type SourceInfo } from './schema.js';
import { modifiedMs } from './dates.js';
import type { AdvisoryEntry, DbMeta, LookupQuery, OsvAffected, OsvRecord, VulnDb } from './types.js';

/** At most this many skipped records are named in meta (all are counted). */
export const SKIPPED_NAMED_CAP = 1000;

export class DbFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DbFormatError';
  }
}

export interface WriterOptions {
  /** Where the data came from (db-url, a folder, a file): DbMeta.source. */
  source: string;
  /** Ecosystems to keep (`Debian:12`, `PyPI`); undefined keeps all. See ecosystemFilter. */
  ecosystems?: readonly string[];
  clock?: () => Date;
}

function metaValue(db: Database, key: string): unknown {
  const rows = db.exec('SELECT value FROM meta WHERE key = ?', [key]);
  const v = rows[0]?.values[0]?.[0];
  if (typeof v !== 'string') return undefined;
  return JSON.parse(v) as unknown;
}

function checkSchema(db: Database, what: string): void {
  let version: unknown;
  try {
    version = db.exec('PRAGMA user_version')[0]?.values[0]?.[0];
  } catch (e) {
    throw new DbFormatError(`${what}: not a readable SQLite database: ${(e as Error).message}`);
  }
  if (version !== SCHEMA_VERSION) {
    throw new DbFormatError(
      `${what}: vulnerability DB schema version ${String(version)}, this ScanRook reads version ${SCHEMA_VERSION}; rebuild it (scanrook db build) or let it be downloaded again`,
    );
  }
  const tables = db.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values.map((r) => r[0]) ?? [];
  for (const t of ['records', 'packages', 'meta']) {
    if (!tables.includes(t)) throw new DbFormatError(`${what}: not a ScanRook vulnerability DB (no table ${t})`);
  }
}

const SQLITE_MAGIC = 'SQLite format 3\0';

function isSqlite(bytes: Uint8Array): boolean {
  if (bytes.length < 100) return false;
  for (let i = 0; i < SQLITE_MAGIC.length; i++) if (bytes[i] !== SQLITE_MAGIC.charCodeAt(i)) return false;
  return true;
}

/**
 * Builds or updates a DB. Records come in through `sink(...)`; `finish()` writes meta and returns the bytes.
 * One writer is used once: after finish() it is closed.
 */
export class DbWriter {
  private readonly wanted: (eco: string) => boolean;
  private readonly skipped: { file: string; reason: string }[] = [];
  private skippedTotal = 0;
  private sources: SourceInfo[] = [];
  private readonly insRecord: Statement;
  private readonly insPackage: Statement;
  private readonly findSame: Statement;
  private readonly delPackage: Statement;
  private readonly clock: () => Date;
  private source: string;
  private builtAt: string | undefined;
  private closed = false;
  private readonly marks = new Map<string, { skipped: number; skippedTotal: number; changes: number; sources: SourceInfo[] }>();
  /** Records added, removed or replaced since the writer was opened. */
  changes = 0;

  private constructor(private readonly db: Database, private readonly opts: WriterOptions, existing: boolean) {
    this.wanted = ecosystemFilter(opts.ecosystems);
    this.clock = opts.clock ?? (() => new Date());
    this.source = opts.source;
    if (existing) {
      const skipped = metaValue(db, 'skipped');
      if (Array.isArray(skipped)) this.skipped.push(...(skipped as { file: string; reason: string }[]));
      this.skippedTotal = Number(metaValue(db, 'skipped_total') ?? this.skipped.length);
      const sources = metaValue(db, 'sources');
      if (Array.isArray(sources)) this.sources = sources as SourceInfo[];
      const builtAt = metaValue(db, 'built_at');
      if (typeof builtAt === 'string') this.builtAt = builtAt;
    }
    db.run('BEGIN');
    this.insRecord = db.prepare('INSERT INTO records (id, modified_ms, json) VALUES (?, ?, ?)');
    this.insPackage = db.prepare('INSERT INTO packages (ecosystem, name, rid, affected) VALUES (?, ?, ?, ?)');
    this.findSame = db.prepare(
      'SELECT p.rowid, r.modified_ms FROM packages p JOIN records r ON r.rid = p.rid WHERE p.ecosystem = ? AND p.name = ? AND r.id = ?',
    );
    this.delPackage = db.prepare('DELETE FROM packages WHERE rowid = ?');
  }

  /** A new, empty DB. */
  static async create(opts: WriterOptions): Promise<DbWriter> {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.exec(DDL);
    return new DbWriter(db, opts, false);
  }

  /** Updates an existing DB (a refresh). Throws DbFormatError for a DB of another schema. */
  static async open(bytes: Uint8Array, opts: WriterOptions): Promise<DbWriter> {
    const SQL = await loadSqlJs();
    if (!isSqlite(bytes)) throw new DbFormatError(`${opts.source}: not a SQLite database`);
    const db = new SQL.Database(bytes);
    try {
      checkSchema(db, opts.source);
    } catch (e) {
      db.close();
      throw e;
    }
    return new DbWriter(db, opts, true);
  }

  /** Sources recorded so far (copied). */
  sourceInfos(): SourceInfo[] {
    return this.sources.map((s) => ({ ...s }));
  }

  /** Records (replaces by name) what a source contributed. */
  setSource(info: SourceInfo): void {
    this.sources = this.sources.filter((s) => s.name !== info.name);
    this.sources.push(info);
  }

  setSourceLabel(source: string): void {
    this.source = source;
  }

  /** A sink adding records (the newer `modified` wins per package and id). */
  sink(): RecordSink {
    return {
      record: (rec) => this.add(rec),
      skip: (file, reason) => this.skip(file, reason),
    };
  }

  skip(file: string, reason: string): void {
    this.skippedTotal++;
    this.skipped.push({ file, reason });
    if (this.skipped.length > SKIPPED_NAMED_CAP) this.skipped.shift();
  }

  /** Adds one record under each wanted (ecosystem, normalised name) of its affected[]. */
  add(rec: OsvRecord): void {
    const groups = new Map<string, { eco: string; name: string; affected: OsvAffected[] }>();
    for (const a of rec.affected ?? []) {
      if (!a.package || !this.wanted(a.package.ecosystem)) continue;
      const eco = a.package.ecosystem;
      const name = normaliseName(eco, a.package.name);
      const key = `${eco}\0${name}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { eco, name, affected: [] }));
      g.affected.push(a);
    }
    if (!groups.size) return;
    const ms = modifiedMs(rec.modified);
    const keep: { eco: string; name: string; affected: OsvAffected[] }[] = [];
    for (const g of groups.values()) {
      this.findSame.bind([g.eco, g.name, rec.id]);
      let newer = true;
      const stale: number[] = [];
      while (this.findSame.step()) {
        const [rowid, oldMs] = this.findSame.get() as [number, number];
        if (oldMs >= ms) newer = false;
        else stale.push(rowid);
      }
      this.findSame.reset();
      if (!newer) continue;
      for (const rowid of stale) this.delPackage.run([rowid]);
      keep.push(g);
    }
    if (!keep.length) return;
    const { affected: _affected, ...bare } = rec;
    this.insRecord.run([rec.id, ms, JSON.stringify(bare)]);
    const rid = this.db.exec('SELECT last_insert_rowid()')[0]!.values[0]![0] as number;
    for (const g of keep) this.insPackage.run([g.eco, g.name, rid, JSON.stringify(g.affected)]);
    this.changes++;
  }

  /** Whether anything is stored under this ecosystem (with release). */
  /** True when any row is stored under the ecosystem; a base name (`Alpine`) also counts its releases (`Alpine:v3.10`). */
  hasEcosystem(ecosystem: string): boolean {
    if (this.db.exec('SELECT 1 FROM packages WHERE ecosystem = ? LIMIT 1', [ecosystem]).length > 0) return true;
    if (ecosystem.includes(':')) return false;
    return this.db.exec("SELECT 1 FROM packages WHERE substr(ecosystem, 1, ?) = ? LIMIT 1", [ecosystem.length + 1, ecosystem + ':']).length > 0;
  }

  /** Marks a point the writer can go back to (a download that may fail half-way). */
  savepoint(name: string): void {
    this.db.run(`SAVEPOINT "${name}"`);
    this.marks.set(name, { skipped: this.skipped.length, skippedTotal: this.skippedTotal, changes: this.changes, sources: this.sourceInfos() });
  }

  /** Undoes everything since savepoint(name) (rows, skipped names, sources); the savepoint stays. */
  rollbackTo(name: string): void {
    this.db.run(`ROLLBACK TO "${name}"`);
    const m = this.marks.get(name);
    if (m) {
      this.skipped.length = Math.min(this.skipped.length, m.skipped);
      this.skippedTotal = m.skippedTotal;
      this.changes = m.changes;
      this.sources = m.sources.map((s) => ({ ...s }));
    }
  }

  /** Keeps everything since savepoint(name). */
  release(name: string): void {
    this.db.run(`RELEASE "${name}"`);
    this.marks.delete(name);
  }

  /** Removes everything stored under a base ecosystem (before it is read again in full). */
  removeBase(base: string): void {
    this.db.run("DELETE FROM packages WHERE ecosystem = ? OR substr(ecosystem, 1, length(?) + 1) = ? || ':'", [base, base, base]);
    this.changes += this.db.getRowsModified() > 0 ? 1 : 0;
  }

  /**
   * Replaces a record fetched on its own (incremental refresh): every stored version of `rec.id` under `base`
   * is removed first, so a record that stopped naming a package no longer matches it.
   */
  replace(rec: OsvRecord, base: string): void {
    this.db.run(
      `DELETE FROM packages WHERE rid IN (SELECT rid FROM records WHERE id = ?)
         AND (ecosystem = ? OR substr(ecosystem, 1, length(?) + 1) = ? || ':')`,
      [rec.id, base, base, base],
    );
    this.changes++;
    this.add(rec);
  }

  /** Writes meta, drops records no package refers to any more, and returns the DB file's bytes. */
  finish(): Uint8Array {
    if (this.closed) throw new Error('DbWriter.finish called twice');
    this.insRecord.free();
    this.insPackage.free();
    this.findSame.free();
    this.delPackage.free();
    this.db.run('DELETE FROM records WHERE rid NOT IN (SELECT rid FROM packages)');
    const now = this.clock().toISOString();
    const builtAt = this.changes > 0 || !this.builtAt ? now : this.builtAt;
    const ecosystems: DbMeta['ecosystems'] = [];
    const rows = this.db.exec(
      'SELECT p.ecosystem, COUNT(DISTINCT r.id), MAX(r.modified_ms) FROM packages p JOIN records r ON r.rid = p.rid GROUP BY p.ecosystem ORDER BY p.ecosystem',
    );
    for (const [eco, count, ms] of rows[0]?.values ?? []) {
      const name = String(eco);
      const base = baseEcosystem(name);
      const own = this.sources.filter((s) => s.base === base);
      const from = own.length ? own : this.sources;
      const fetched = from.map((s) => s.fetched_at).sort()[0] ?? builtAt;
      ecosystems.push({
        name,
        records: Number(count),
        newest_modified: typeof ms === 'number' ? new Date(ms).toISOString() : null,
        fetched_at: fetched,
      });
    }
    const skipped = [...this.skipped];
    if (this.skippedTotal > skipped.length) {
      skipped.push({ file: '…', reason: `${this.skippedTotal - skipped.length} more skipped records are not named` });
    }
    const meta: Record<string, unknown> = {
      schema_version: SCHEMA_VERSION,
      source: this.source,
      built_at: builtAt,
      ecosystems,
      skipped,
      skipped_total: this.skippedTotal,
      sources: this.sources,
      wanted: this.opts.ecosystems ?? null,
    };
    this.db.run('DELETE FROM meta');
    for (const [k, v] of Object.entries(meta)) this.db.run('INSERT INTO meta (key, value) VALUES (?, ?)', [k, JSON.stringify(v)]);
    this.db.run('COMMIT');
    this.db.run('VACUUM');
    const bytes = this.db.export();
    this.db.close();
    this.closed = true;
    return bytes;
  }

  /** Drops the work (on an error). */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.insRecord.free();
      this.insPackage.free();
      this.findSame.free();
      this.delPackage.free();
    } catch {
      /* already freed */
    }
    this.db.close();
  }
}


/** True when the entries are in record id order already (then sorting them, a stable sort, changes nothing). */
function sortedById(list: AdvisoryEntry[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1]!.record.id > list[i]!.record.id) return false;
  return true;
}

class SqliteVulnDb implements VulnDb {
  private readonly rowsStmt: Statement;
  private readonly recordsStmt: Statement;
  private readonly records = new Map<number, OsvRecord>();
  private readonly metaValue: DbMeta;
  private readonly extra: { sources: SourceInfo[]; wanted: string[] | null };
  private closed = false;

  constructor(private readonly db: Database) {
    // Lookups are batched: one query per ecosystem for all the names asked for (a JSON array bound as one
    // parameter, expanded by json_each), then one query for the records not read yet. Each query costs a
    // round of bind/step/get/reset calls into the WebAssembly module, which is what dominated when every
    // package and every record was a query of its own. A record's JSON is read (and decoded from the WASM
    // heap) only the first time its rid is seen. A package row whose record is missing is left out (what a
    // JOIN with records did, done here without the JOIN's cost: the records are read by rid anyway).
    this.rowsStmt = db.prepare('SELECT p.name, p.rid, p.affected FROM packages p WHERE p.ecosystem = ? AND p.name IN (SELECT value FROM json_each(?))');
    this.recordsStmt = db.prepare('SELECT rid, json FROM records WHERE rid IN (SELECT value FROM json_each(?))');
    const skipped = (metaValue(db, 'skipped') as DbMeta['skipped'] | undefined) ?? [];
    this.metaValue = {
      schema_version: Number(metaValue(db, 'schema_version')),
      source: String(metaValue(db, 'source') ?? ''),
      built_at: String(metaValue(db, 'built_at') ?? ''),
      ecosystems: (metaValue(db, 'ecosystems') as DbMeta['ecosystems'] | undefined) ?? [],
      skipped,
    };
    this.extra = {
      sources: (metaValue(db, 'sources') as SourceInfo[] | undefined) ?? [],
      wanted: (metaValue(db, 'wanted') as string[] | null | undefined) ?? null,
    };
  }

  lookup(ecosystem: string, name: string): AdvisoryEntry[] {
    return this.lookupMany([{ ecosystem, name }])[0]!;
  }

  /**
   * `lookup` for many packages at once: the result at index i is what `lookup(queries[i])` returns (entries
   * sorted by record id). Queries naming the same (ecosystem, normalised name) share their entries (the same
   * objects, like the records every lookup shares): callers only read them.
   */
  lookupMany(queries: readonly LookupQuery[]): AdvisoryEntry[][] {
    if (this.closed) throw new Error('VulnDb.lookup after close');
    // ecosystem → normalised name → the rows' (rid, parsed affected), in the index's order. The affected JSON
    // is parsed as it is read, so its text is garbage at once (held across the record reads, it would be
    // copied by the young-generation collector, and the 5,000-package benchmark spent more on that).
    const byEco = new Map<string, Map<string, { rid: number; affected: OsvAffected[] }[] | null>>();
    const keys: [string, string][] = [];
    for (const q of queries) {
      const name = normaliseName(q.ecosystem, q.name);
      let names = byEco.get(q.ecosystem);
      if (!names) byEco.set(q.ecosystem, (names = new Map()));
      names.set(name, null);
      keys.push([q.ecosystem, name]);
    }
    const missing: number[] = [];
    const asked = new Set<number>();
    for (const [eco, names] of byEco) {
      this.rowsStmt.bind([eco, JSON.stringify([...names.keys()])]);
      try {
        while (this.rowsStmt.step()) {
          const [name, rid, affected] = this.rowsStmt.get() as [string, number, string];
          let rows = names.get(name);
          if (rows === undefined) continue; // (cannot happen: IN matched it)
          if (rows === null) names.set(name, (rows = []));
          rows.push({ rid, affected: JSON.parse(affected) as OsvAffected[] });
          if (!this.records.has(rid) && !asked.has(rid)) {
            asked.add(rid);
            missing.push(rid);
          }
        }
      } finally {
        this.rowsStmt.reset();
      }
    }
    if (missing.length) this.readRecords(missing);
    const entries = new Map<string, Map<string, AdvisoryEntry[]>>();
    const out: AdvisoryEntry[][] = [];
    for (const [eco, name] of keys) {
      let done = entries.get(eco);
      if (!done) entries.set(eco, (done = new Map()));
      let list = done.get(name);
      if (!list) {
        list = [];
        for (const row of byEco.get(eco)!.get(name) ?? []) {
          const record = this.records.get(row.rid);
          if (!record) continue; // no such record (see the constructor)
          list.push({ record, affected: row.affected });
        }
        if (!sortedById(list)) list.sort((a, b) => (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0));
        done.set(name, list);
      }
      out.push(list);
    }
    return out;
  }

  /** Reads and parses the records with these rids into the record cache. */
  private readRecords(rids: number[]): void {
    this.recordsStmt.bind([JSON.stringify(rids)]);
    try {
      while (this.recordsStmt.step()) {
        const [rid, json] = this.recordsStmt.get() as [number, string];
        this.records.set(rid, JSON.parse(json) as OsvRecord);
      }
    } finally {
      this.recordsStmt.reset();
    }
  }

  ecosystems(): string[] {
    return this.metaValue.ecosystems.filter((e) => e.records > 0).map((e) => e.name);
  }

  meta(): DbMeta {
    return this.metaValue;
  }

  /** What was read or downloaded (for refreshes and `db info`). */
  sources(): SourceInfo[] {
    return this.extra.sources;
  }

  /** The ecosystem list the DB was built for (null: everything in its inputs). */
  wanted(): string[] | null {
    return this.extra.wanted;
  }

  /** Total skipped (DbMeta.skipped names at most SKIPPED_NAMED_CAP). */
  countRows(): { records: number; packages: number } {
    const r = this.db.exec('SELECT (SELECT COUNT(*) FROM records), (SELECT COUNT(*) FROM packages)')[0]!.values[0]!;
    return { records: Number(r[0]), packages: Number(r[1]) };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.rowsStmt.free();
    this.recordsStmt.free();
    this.db.close();
  }
}

export type OpenedVulnDb = SqliteVulnDb;

/**
 * Opens a DB from its bytes. Throws DbFormatError for something that is not a SQLite file, not a ScanRook DB,
 * a DB of another schema version, or a damaged file (`PRAGMA quick_check`).
 */
export async function openDb(bytes: Uint8Array, what = 'vulnerability DB'): Promise<OpenedVulnDb> {
  if (!isSqlite(bytes)) throw new DbFormatError(`${what}: not a SQLite database (${bytes.length} bytes, no SQLite header)`);
  const SQL = await loadSqlJs();
  let db: Database;
  try {
    db = new SQL.Database(bytes);
  } catch (e) {
    throw new DbFormatError(`${what}: cannot open: ${(e as Error).message}`);
  }
  try {
    checkSchema(db, what);
    const check = db.exec('PRAGMA quick_check')[0]?.values.map((r) => String(r[0])) ?? [];
    if (check.length !== 1 || check[0] !== 'ok') {
      throw new DbFormatError(`${what}: damaged SQLite file: ${check.slice(0, 3).join('; ')}`);
    }
    return new SqliteVulnDb(db);
  } catch (e) {
    db.close();
    if (e instanceof DbFormatError) throw e;
    throw new DbFormatError(`${what}: damaged or not a vulnerability DB: ${(e as Error).message}`);
  }
}

/** Writes a DB file atomically (temporary file, then rename). */
export async function writeDbFile(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

/** Reads and opens a DB file; a missing, corrupt or foreign file is a DbFormatError naming the path. */
export async function readDbFile(path: string): Promise<OpenedVulnDb> {
  if (!existsSync(path)) throw new DbFormatError(`${path}: no such file`);
  const bytes = await readFile(path);
  return openDb(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}
