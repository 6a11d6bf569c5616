/**
 * Writing the SQLite store (sql.js): DbWriter builds a DB or updates one, writeDbFile puts it on disk.
 * Layout: ./schema.ts; opening and querying a DB: ./store-reader.ts.
 *
 * Decisions:
 * - Withdrawn records are STORED (with `withdrawn` set): a refresh must be able to replace an older,
 *   not-yet-withdrawn version of the same record, and the report can say a finding was withdrawn. Matching
 *   must ignore records with `withdrawn`.
 * - A record whose affected[] names several ecosystems is stored under each wanted one.
 * - The same (ecosystem, name, record id) read twice (a loose copy beside the zip, a refresh) keeps the
 *   newer `modified`.
 * - A record is stored WITHOUT `affected`: each package row holds the affected[] entries that name it.
 * - Enrichment (setEnrichment: NVD / CVE 5 ratings, EPSS, KEV) is joined in at finish(): one `enrichment` row
 *   per CVE id that a stored record names (own id, aliases, upstream, the CVE behind `DEBIAN-CVE-…`), so a DB
 *   carries only the part of the 300k-row EPSS day its records need. A DB without it has no such table.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Database, Statement } from 'sql.js';
import { modifiedMs } from './dates.js';
import { baseEcosystem, ecosystemFilter } from './ecosystems.js';
import type { EnrichmentData } from './enrich/data.js';
import { normaliseName } from './names.js';
import type { RecordSink } from './read-zip.js';
import { DDL, ENRICHMENT_DDL, SCHEMA_VERSION, type SourceInfo } from './schema.js';
import { loadSqlJs } from './sqlite.js';
import { checkSchema, DbFormatError, isSqlite, metaValue } from './store-format.js';
import type { DbMeta, OsvAffected, OsvRecord } from './types.js';

/** The stored versions of one record under one package: parameters ?1 ecosystem, ?2 name, ?3 record id. */
export const FIND_SAME_SQL =
  'SELECT p.rowid, r.modified_ms FROM records r CROSS JOIN packages p ON p.rid = r.rid WHERE r.id = ?3 AND p.ecosystem = ?1 AND p.name = ?2';

/** At most this many skipped records are named in meta (all are counted). */
export const SKIPPED_NAMED_CAP = 1000;

export interface WriterOptions {
  /** Where the data came from (db-url, a folder, a file): DbMeta.source. */
  source: string;
  /** Ecosystems to keep (`Debian:12`, `PyPI`); undefined keeps all. See ecosystemFilter. */
  ecosystems?: readonly string[];
  clock?: () => Date;
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
  private readonly marks = new Map<
    string,
    { skipped: number; skippedTotal: number; changes: number; sources: SourceInfo[] }
  >();
  private enrichment: EnrichmentData | null = null;
  /** Records added, removed or replaced since the writer was opened. */
  changes = 0;

  private constructor(
    private readonly db: Database,
    private readonly opts: WriterOptions,
    existing: boolean,
  ) {
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
    // By record id first (CROSS JOIN fixes the loop order: records_id, then packages_rid), not by package: a
    // kernel source package carries thousands of records, and planning by (ecosystem, name) made every add
    // walk all of them — the superlinear step of a large build (BENCHMARKS.md "DB build at scale").
    this.findSame = db.prepare(FIND_SAME_SQL);
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

  /** True when any row is stored under the ecosystem; a base name (`Alpine`) also counts its releases (`Alpine:v3.10`). */
  hasEcosystem(ecosystem: string): boolean {
    if (this.db.exec('SELECT 1 FROM packages WHERE ecosystem = ? LIMIT 1', [ecosystem]).length > 0) return true;
    if (ecosystem.includes(':')) return false;
    return (
      this.db.exec('SELECT 1 FROM packages WHERE substr(ecosystem, 1, ?) = ? LIMIT 1', [
        ecosystem.length + 1,
        ecosystem + ':',
      ]).length > 0
    );
  }

  /** Enrichment to join in at finish() (replaces the DB's enrichment, if it had any). */
  setEnrichment(data: EnrichmentData): void {
    this.enrichment = data;
    this.changes++;
  }

  /** Writes the enrichment rows of the CVE ids the stored records name; the figures for meta. */
  private writeEnrichment(data: EnrichmentData): Record<string, unknown> {
    this.db.exec(ENRICHMENT_DDL);
    this.db.run('DELETE FROM enrichment');
    const named = new Set<string>();
    const add = (id: unknown): void => {
      if (typeof id !== 'string') return;
      const m = /^(?:[A-Z][A-Z0-9]*-)?(CVE-\d{4}-\d{4,19})$/i.exec(id);
      if (m) named.add(m[1]!.toUpperCase());
    };
    const stmt = this.db.prepare('SELECT json FROM records');
    try {
      while (stmt.step()) {
        const rec = JSON.parse(stmt.get()[0] as string) as OsvRecord;
        add(rec.id);
        for (const a of rec.aliases ?? []) add(a);
        for (const u of rec.upstream ?? []) add(u);
      }
    } finally {
      stmt.free();
    }
    const ins = this.db.prepare('INSERT INTO enrichment (cve, json) VALUES (?, ?)');
    let rows = 0;
    let rated = 0;
    let epss = 0;
    let kev = 0;
    try {
      for (const cve of [...named].sort()) {
        const e = data.get(cve);
        if (!e) continue;
        ins.run([cve, JSON.stringify(e)]);
        rows++;
        if (e.cvss) rated++;
        if (e.epss) epss++;
        if (e.kev) kev++;
      }
    } finally {
      ins.free();
    }
    return {
      cves_named: named.size,
      cves_enriched: rows,
      with_cvss: rated,
      with_epss: epss,
      with_kev: kev,
      sources: data.sources,
    };
  }

  /** Marks a point the writer can go back to (a download that may fail half-way). */
  savepoint(name: string): void {
    this.db.run(`SAVEPOINT "${name}"`);
    this.marks.set(name, {
      skipped: this.skipped.length,
      skippedTotal: this.skippedTotal,
      changes: this.changes,
      sources: this.sourceInfos(),
    });
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
    this.db.run("DELETE FROM packages WHERE ecosystem = ? OR substr(ecosystem, 1, length(?) + 1) = ? || ':'", [
      base,
      base,
      base,
    ]);
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
    const enrichment = this.enrichment ? this.writeEnrichment(this.enrichment) : undefined;
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
    if (enrichment) meta.enrichment = enrichment;
    this.db.run(enrichment ? 'DELETE FROM meta' : "DELETE FROM meta WHERE key != 'enrichment'");
    for (const [k, v] of Object.entries(meta))
      this.db.run('INSERT INTO meta (key, value) VALUES (?, ?)', [k, JSON.stringify(v)]);
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

/**
 * Writes a DB file atomically: a new temporary file beside `path` (a random name, created exclusively, so a
 * planted symlink is never followed), then a rename over `path`. On any failure (a full disk, a folder that
 * is read-only) the partial temporary file is removed and the error thrown; `path` is left as it was.
 */
export async function writeDbFile(path: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o644);
  try {
    try {
      await fh.writeFile(bytes);
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
