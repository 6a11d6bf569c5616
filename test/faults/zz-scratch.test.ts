import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { loadSqlJs } from '../../src/vulndb/sqlite.js';
import { readRpmSqlite } from '../../src/inventory/os/rpm/sqlite.js';
it('scratch', async () => {
  const SQL = await loadSqlJs();
  const t0 = performance.now();
  const r = readRpmSqlite(new Uint8Array(readFileSync(process.env.SCRATCH_DB!)), SQL);
  console.log(performance.now() - t0, r.records.length, r.problems, process.memoryUsage().rss >> 20);
}, 600_000);
