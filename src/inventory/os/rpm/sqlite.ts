/**
 * rpm's sqlite backend (rpm ≥ 4.16; Fedora ≥ 33, RHEL/Rocky/Alma 9, CBL-Mariner 2, Amazon Linux 2023):
 * table `Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)`, one header blob per row.
 * Opened from memory with sql.js (the caller passes the engine from `loadSqlJs()`); nothing touches disk.
 */
import type { SqlJsStatic } from 'sql.js';
import type { RpmDbRead, RpmDbRecord } from './records.js';

const SQLITE_MAGIC = 'SQLite format 3\0';

export function readRpmSqlite(data: Uint8Array, SQL: SqlJsStatic): RpmDbRead {
  const out: RpmDbRead = { format: 'sqlite', records: [], problems: [] };
  if (data.length < 100 || Buffer.from(data.buffer, data.byteOffset, 16).toString('latin1') !== SQLITE_MAGIC) {
    out.problems.push('not an SQLite database (bad header magic)');
    return out;
  }
  let db: InstanceType<SqlJsStatic['Database']> | undefined;
  try {
    db = new SQL.Database(data);
    const stmt = db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum');
    try {
      for (;;) {
        let more: boolean;
        try {
          more = stmt.step();
        } catch (e) {
          out.problems.push(`sqlite read stopped after ${out.records.length} rows: ${errorText(e)}`);
          break;
        }
        if (!more) break;
        const [hnum, blob] = stmt.get();
        if (typeof hnum !== 'number' || !(blob instanceof Uint8Array)) {
          out.problems.push(`Packages row ${String(hnum)} has no blob`);
          continue;
        }
        out.records.push({ id: hnum, blob } satisfies RpmDbRecord);
      }
    } finally {
      stmt.free();
    }
  } catch (e) {
    out.problems.push(`cannot read the sqlite rpmdb: ${errorText(e)}`);
  } finally {
    db?.close();
  }
  return out;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
