/**
 * What makes bytes a ScanRook vulnerability DB, shared by the writer (store-writer.ts) and the reader
 * (store-reader.ts): the SQLite header, the schema version and tables (layout: ./schema.ts), the meta values,
 * and DbFormatError for anything else.
 */
import type { Database } from 'sql.js';
import { SCHEMA_VERSION } from './schema.js';

export class DbFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DbFormatError';
  }
}

/** A meta value, JSON-decoded; undefined when the key is not there. */
export function metaValue(db: Database, key: string): unknown {
  const rows = db.exec('SELECT value FROM meta WHERE key = ?', [key]);
  const v = rows[0]?.values[0]?.[0];
  if (typeof v !== 'string') return undefined;
  return JSON.parse(v) as unknown;
}

/** Throws DbFormatError unless the DB has this ScanRook's schema version and the store's tables. */
export function checkSchema(db: Database, what: string): void {
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

/** True when the bytes start with the SQLite file header. */
export function isSqlite(bytes: Uint8Array): boolean {
  if (bytes.length < 100) return false;
  for (let i = 0; i < SQLITE_MAGIC.length; i++) if (bytes[i] !== SQLITE_MAGIC.charCodeAt(i)) return false;
  return true;
}
