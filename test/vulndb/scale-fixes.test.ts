/**
 * Issue 18 item 1's two leads, held in place:
 * - DbWriter's duplicate lookup (FIND_SAME_SQL) goes by record id first, then the record's package rows — not
 *   by (ecosystem, name), which walked every record of a kernel package on each add (the superlinear step:
 *   BENCHMARKS.md "DB build at scale"). Checked on SQLite's own plan, and on what it finds (the newer
 *   `modified` of a record wins per package; another package's row of the same record is not touched).
 * - The scan's DB provider asks for the releases the scan needs (`Ubuntu:22.04:LTS`), not the base (`Ubuntu`,
 *   all 17 releases); it reuses a DB that covers them and prepares the union for a new one.
 */
import { describe, expect, it } from 'vitest';
import { vulnDbProvider } from '../../src/scan/vulndb-provider.js';
import { MemoryLogger } from '../../src/util/logger.js';
import type { PreparedVulnDb, PrepareVulnDbOptions } from '../../src/vulndb/prepare.js';
import { DDL } from '../../src/vulndb/schema.js';
import { loadSqlJs } from '../../src/vulndb/sqlite.js';
import { openDb } from '../../src/vulndb/store-reader.js';
import { DbWriter, FIND_SAME_SQL } from '../../src/vulndb/store-writer.js';
import type { OsvRecord, VulnDb } from '../../src/vulndb/types.js';

describe('the duplicate lookup', () => {
  it('is planned by record id (records_id), then the package rows of that record (packages_rid)', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.exec(DDL);
    const plan = db
      .exec(`EXPLAIN QUERY PLAN ${FIND_SAME_SQL}`, ['Ubuntu:22.04:LTS', 'linux', 'UBUNTU-CVE-2024-1'])[0]!
      .values.map((r) => String(r[3]));
    db.close();
    expect(plan).toHaveLength(2);
    expect(plan[0]).toMatch(/^SEARCH r USING (COVERING )?INDEX records_id \(id=\?\)$/);
    expect(plan[1]).toMatch(/^SEARCH p USING INDEX packages_rid \(rid=\?\)$/);
  });

  it('keeps the newer version of a record per package, leaves its other packages alone', async () => {
    const rec = (modified: string, names: string[]): OsvRecord => ({
      id: 'UBUNTU-CVE-2024-1',
      modified,
      affected: names.map((name) => ({
        package: { ecosystem: 'Ubuntu:22.04:LTS', name },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: modified.slice(0, 4) }] }],
      })),
    });
    const w = await DbWriter.create({ source: 't' });
    w.add(rec('2024-01-01T00:00:00Z', ['linux', 'linux-aws']));
    w.add(rec('2025-01-01T00:00:00Z', ['linux']));
    w.add(rec('2023-01-01T00:00:00Z', ['linux', 'linux-aws']));
    const db: VulnDb = await openDb(w.finish());
    const fixed = (name: string) =>
      db.lookup('Ubuntu:22.04:LTS', name).map((e) => e.affected[0]!.ranges![0]!.events[1]!.fixed);
    expect(fixed('linux')).toEqual(['2025']);
    expect(fixed('linux-aws')).toEqual(['2024']);
    db.close();
  });
});

describe('the provider asks for releases', () => {
  it('Ubuntu:22.04:LTS, not Ubuntu; reuses for a covered scan, prepares the union for a new release', async () => {
    const asked: string[][] = [];
    const fake = {
      ecosystems: () => [],
      meta: () => ({}),
      lookup: () => [],
      close: () => undefined,
    } as unknown as VulnDb;
    const prepare = async (o: PrepareVulnDbOptions): Promise<PreparedVulnDb> => {
      asked.push([...o.ecosystems]);
      return { db: fake, reasons: [], source: 's', ageSeconds: 0, downloaded: false, saved: false };
    };
    const p = vulnDbProvider({
      settings: { dbPath: null, dbUrl: 'http://127.0.0.1:9', dbCache: false, dbMaxAge: 0 },
      fetch: (() => Promise.reject(new Error('no network'))) as never,
      cache: null,
      logger: new MemoryLogger(),
      prepare,
    });
    await p(['Ubuntu:22.04:LTS', 'PyPI']);
    await p(['PyPI', 'Ubuntu:22.04:LTS']);
    await p(['Ubuntu:24.04:LTS']);
    await p(['Ubuntu:22.04:LTS']);
    expect(asked).toEqual([
      ['PyPI', 'Ubuntu:22.04:LTS'],
      ['PyPI', 'Ubuntu:22.04:LTS', 'Ubuntu:24.04:LTS'],
    ]);
  });
});
