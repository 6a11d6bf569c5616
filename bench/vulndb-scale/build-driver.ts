/**
 * One cold DB build from a generated aggregate (bench/vulndb-scale/generate.mjs), as the scan's provider makes
 * it: `DbWriter` + the streamed zip reader, keeping either the base ecosystem (`Ubuntu`: every release, what
 * the provider asked for before) or the release (`Ubuntu:22.04:LTS`). `old` puts back the duplicate lookup
 * planned by package rows (the query before FIND_SAME_SQL), so both are measured in one run on one input.
 *
 *   node build-driver.mjs ZIP ECOSYSTEM new|old   → one JSON line: ms, records kept, DB bytes, peak RSS
 */
import type { Statement } from 'sql.js';
import { readInputs } from '../../src/vulndb/build.js';
import { DbWriter } from '../../src/vulndb/store-writer.js';

const OLD_FIND_SAME =
  'SELECT p.rowid, r.modified_ms FROM packages p JOIN records r ON r.rid = p.rid WHERE p.ecosystem = ? AND p.name = ? AND r.id = ?';

const [zip, ecosystem, variant] = process.argv.slice(2);
if (!zip || !ecosystem || (variant !== 'new' && variant !== 'old')) {
  console.error('usage: build-driver.mjs ZIP ECOSYSTEM new|old');
  process.exit(2);
}
const t0 = performance.now();
const writer = await DbWriter.create({ source: 'bench', ecosystems: [ecosystem] });
const w = writer as unknown as { findSame: Statement; db: { prepare(sql: string): Statement } };
if (variant === 'old') {
  w.findSame.free();
  w.findSame = w.db.prepare(OLD_FIND_SAME);
}
let read = 0;
await readInputs(writer, [{ kind: 'zip', path: zip, name: 'Ubuntu/all.zip', base: 'Ubuntu' }], {
  source: 'bench',
  onRead: (_n, s) => {
    read += s.records;
  },
});
const kept = writer.changes;
const bytes = writer.finish();
const ms = performance.now() - t0;
console.log(
  JSON.stringify({
    variant,
    ecosystem,
    ms: Math.round(ms),
    records_read: read,
    records_kept: kept,
    db_bytes: bytes.length,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
