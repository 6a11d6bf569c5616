/**
 * rpm's sqlite backend (rpm ≥ 4.16; Fedora ≥ 33, RHEL/Rocky/Alma 9, CBL-Mariner 2, Amazon Linux 2023):
 * table `Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)`, one header blob per row.
 * Opened from memory with sql.js (the caller passes the engine from `loadSqlJs()`); nothing touches disk.
 */
import type { SqlJsStatic } from 'sql.js';
import { errorText } from '../../../util/error-text.js';
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
    const shape = packagesTableProblem(db);
    if (shape) {
      out.problems.push(shape);
      return out;
    }
    const stmt = db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum');
    let last = -Infinity;
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
        if (typeof hnum === 'number' && hnum <= last) {
          // rows come in hnum order; going back means a b-tree page is reached twice (a corrupt, looping tree)
          out.problems.push(
            `sqlite read stopped after ${out.records.length} rows: Packages row ${hnum} came after row ${last} (corrupt b-tree)`,
          );
          break;
        }
        if (typeof hnum === 'number') last = hnum;
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

/**
 * Why `Packages` is not a plain table to read, or null. A view (or a virtual table, or a generated column) runs
 * whatever the file's author wrote when selected — e.g. an endless recursive query — and sql.js is synchronous:
 * the scan's time limit could not stop it. rpm itself only ever writes a plain table.
 */
function packagesTableProblem(db: InstanceType<SqlJsStatic['Database']>): string | null {
  const rows = db.exec("SELECT type, sql FROM sqlite_master WHERE name = 'Packages' COLLATE NOCASE");
  const row = rows[0]?.values[0];
  if (!row) return null; // the SELECT below says "no such table: Packages"
  const [type, sql] = row;
  if (type !== 'table') return `Packages is a ${String(type)}, not a table; not read`;
  if (typeof sql === 'string' && /^\s*CREATE\s+VIRTUAL\b/i.test(sql))
    return 'Packages is a virtual table, not a plain table; not read';
  const cols = db.exec('PRAGMA table_xinfo(Packages)')[0];
  const at = (name: string) => cols?.columns.indexOf(name) ?? -1;
  for (const c of cols?.values ?? []) {
    const name = String(c[at('name')]).toLowerCase();
    if ((name === 'hnum' || name === 'blob') && c[at('hidden')] !== 0)
      return `Packages column ${name} is computed, not stored; not read`;
  }
  return null;
}
