/**
 * Reading the SQLite store (sql.js): openDb / readDbFile check a DB and open it as a VulnDb (batched lookups,
 * meta, counts). Layout: ./schema.ts; writing a DB: ./store-writer.ts.
 *
 * `AdvisoryEntry.record` comes back WITHOUT `affected`: the entries for the package looked up are in
 * `AdvisoryEntry.affected`. Records with `withdrawn` are stored; matching must ignore them.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Database, Statement } from 'sql.js';
import { checkEnrichment } from './enrich/data.js';
import { normaliseName } from './names.js';
import type { SourceInfo } from './schema.js';
import { loadSqlJs } from './sqlite.js';
import { checkSchema, DbFormatError, isSqlite, metaValue } from './store-format.js';
import type { AdvisoryEntry, CveEnrichment, DbMeta, LookupQuery, OsvAffected, OsvRecord, VulnDb } from './types.js';

/** True when the entries are in record id order already (then sorting them, a stable sort, changes nothing). */
function sortedById(list: AdvisoryEntry[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1]!.record.id > list[i]!.record.id) return false;
  return true;
}

class SqliteVulnDb implements VulnDb {
  private readonly rowsStmt: Statement;
  private readonly recordsStmt: Statement;
  /** Null for a DB built without enrichment (or by a ScanRook before it). */
  private readonly enrichStmt: Statement | null;
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
    this.rowsStmt = db.prepare(
      'SELECT p.name, p.rid, p.affected FROM packages p WHERE p.ecosystem = ? AND p.name IN (SELECT value FROM json_each(?))',
    );
    this.recordsStmt = db.prepare('SELECT rid, json FROM records WHERE rid IN (SELECT value FROM json_each(?))');
    const hasEnrichment =
      db.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'enrichment'")[0] !== undefined;
    this.enrichStmt = hasEnrichment
      ? db.prepare('SELECT cve, json FROM enrichment WHERE cve IN (SELECT value FROM json_each(?))')
      : null;
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
        if (!sortedById(list))
          list.sort((a, b) => (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0));
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

  /** Enrichment of these CVE ids (upper case, as stored); empty for a DB without enrichment. */
  enrichment(cves: readonly string[]): Map<string, CveEnrichment> {
    if (this.closed) throw new Error('VulnDb.enrichment after close');
    const out = new Map<string, CveEnrichment>();
    if (!this.enrichStmt || !cves.length) return out;
    this.enrichStmt.bind([JSON.stringify([...new Set(cves)])]);
    try {
      while (this.enrichStmt.step()) {
        const [cve, json] = this.enrichStmt.get() as [string, string];
        let e: CveEnrichment | null = null;
        try {
          e = checkEnrichment(JSON.parse(json));
        } catch {
          /* a damaged row: that CVE has no enrichment */
        }
        if (e) out.set(cve, e);
      }
    } finally {
      this.enrichStmt.reset();
    }
    return out;
  }

  /** What the enrichment was built from (meta.enrichment), null when the DB has none. */
  enrichmentInfo(): Record<string, unknown> | null {
    const v = metaValue(this.db, 'enrichment');
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
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

  /** How many records and package rows the DB holds. */
  countRows(): { records: number; packages: number } {
    const r = this.db.exec('SELECT (SELECT COUNT(*) FROM records), (SELECT COUNT(*) FROM packages)')[0]!.values[0]!;
    return { records: Number(r[0]), packages: Number(r[1]) };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.rowsStmt.free();
    this.recordsStmt.free();
    this.enrichStmt?.free();
    this.db.close();
  }
}

export type OpenedVulnDb = SqliteVulnDb;

/**
 * Opens a DB from its bytes. Throws DbFormatError for something that is not a SQLite file, not a ScanRook DB,
 * a DB of another schema version, or a damaged file (`PRAGMA quick_check`).
 */
export async function openDb(bytes: Uint8Array, what = 'vulnerability DB'): Promise<OpenedVulnDb> {
  if (!isSqlite(bytes))
    throw new DbFormatError(`${what}: not a SQLite database (${bytes.length} bytes, no SQLite header)`);
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

/** Reads and opens a DB file; a missing, corrupt or foreign file is a DbFormatError naming the path. */
export async function readDbFile(path: string): Promise<OpenedVulnDb> {
  if (!existsSync(path)) throw new DbFormatError(`${path}: no such file`);
  const bytes = await readFile(path);
  return openDb(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}
