/**
 * The on-disk layout of a ScanRook vulnerability DB (one SQLite file, read with sql.js).
 *
 * - `records`: one row per stored OSV record version: its reduced JSON WITHOUT `affected` (a record naming
 *   40 packages is stored once, not 40 times), its id and `modified` in milliseconds.
 * - `packages`: one row per (ecosystem with release, normalised name, record): the record's affected[] entries
 *   for that package, as JSON. Indexed on (ecosystem, name) for lookups, and on rid for refreshes.
 * - `meta`: key → JSON value: schema_version, source, built_at, ecosystems (DbMeta.ecosystems), skipped,
 *   sources (what was read/downloaded, for incremental refresh).
 * - `enrichment` (only in DBs built with `db build --nvd/--epss/--kev`): cve → JSON CveEnrichment (types.ts),
 *   for the CVE ids the records name; `meta.enrichment` says what was read. Added without a version change:
 *   a reader that does not know the table ignores it, and this reader opens a DB without it (no enrichment).
 * `PRAGMA user_version` holds SCHEMA_VERSION; a DB of another version is refused.
 */
export const SCHEMA_VERSION = 1;

export const DDL = `
CREATE TABLE records (
  rid INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  modified_ms INTEGER NOT NULL,
  json TEXT NOT NULL
);
CREATE INDEX records_id ON records(id);
CREATE TABLE packages (
  ecosystem TEXT NOT NULL,
  name TEXT NOT NULL,
  rid INTEGER NOT NULL,
  affected TEXT NOT NULL
);
CREATE INDEX packages_key ON packages(ecosystem, name);
CREATE INDEX packages_rid ON packages(rid);
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
PRAGMA user_version = ${SCHEMA_VERSION};
`;

export const ENRICHMENT_DDL =
  'CREATE TABLE IF NOT EXISTS enrichment (cve TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID';

/** What one input contributed, kept in meta so a cached DB can be refreshed per bucket folder. */
export interface SourceInfo {
  /** `https://…/PyPI/all.zip`, `Debian/all.zip` (in a folder), `loose JSON in DIR`. */
  name: string;
  kind: 'download' | 'file';
  /** The bucket folder (base ecosystem) a download came from. */
  base?: string;
  /** Records read (whether or not their ecosystems were kept). */
  records: number;
  skipped: number;
  /** Newest `modified` among all records read from it (ISO), or null. */
  newest_modified: string | null;
  /** When its data was last brought up to date (full download or incremental refresh). */
  fetched_at: string;
  /** When it was last read in full. */
  full_fetched_at: string;
}

export const META_KEYS = [
  'schema_version',
  'source',
  'built_at',
  'ecosystems',
  'skipped',
  'skipped_total',
  'sources',
  'wanted',
  'enrichment',
] as const;
