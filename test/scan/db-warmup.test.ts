/**
 * The DB warm-up (src/scan/vulndb-provider.ts `warm`, src/vulndb/prepare.ts `openDbPathEarly`): sql.js and an
 * offline db-path file are loaded while the image is read. It must change nothing a scan reports: the same
 * events (stages, statuses, messages, order), reasons, DB description and findings as a scan without it, for
 * a good DB file, a damaged one, a missing path and an OSV folder; and it never leaves an unhandled rejection.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/model/report.js';
import type { ScanOptions } from '../../src/scan/ports.js';
import { runScan } from '../../src/scan/run.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { buildDbFromFolder } from '../../src/vulndb/build.js';
import { openDbPathEarly } from '../../src/vulndb/prepare.js';
import { writeDbFile } from '../../src/vulndb/store-writer.js';
import { dbPathScanDeps } from '../helpers/scan-deps.js';
import { REPO_ROOT } from '../helpers/shared.js';

const LIGHT: ScanOptions = { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 0 };
const IMAGE = join(REPO_ROOT, 'test', 'fixtures', 'demo', 'debian-bookworm-dpkg.docker.tar');
const OSV = join(REPO_ROOT, 'test', 'fixtures', 'demo', 'osv');

// One clock, read once, for every scan: a DB's age (now minus the data's date, which for a folder is its
// files' mtime) and a folder DB's build date are read off the scan's clock. Two scans reading a running clock
// at different times report ages a second apart whenever they straddle a half second (900 s vs 901 s).
const NOW = new Date();
const clock = () => NOW;

/** What a report says, without its timings. */
function said(r: ScanReport) {
  return {
    status: r.scan_status,
    events: r.events.map((e) => `${e.stage}:${e.status}: ${e.message}`),
    reasons: r.reasons,
    vulndb: r.vulndb,
    findings: r.findings,
    packages: r.packages.length,
  };
}

async function scan(dbPath: string, warm: boolean): Promise<ScanReport> {
  const deps = dbPathScanDeps(dbPath, new MemoryLogger(), { clock });
  if (!warm) delete deps.vulndb.warm;
  else expect(deps.vulndb.warm).toBeTypeOf('function');
  return runScan({ kind: 'path', path: IMAGE }, LIGHT, deps);
}

describe('the DB warm-up changes nothing a scan reports', () => {
  let dir: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => {
    unhandled.push(e);
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scanrook-warm-'));
    await writeDbFile(join(dir, 'demo.db'), await buildDbFromFolder(OSV, { source: OSV, clock }));
    writeFileSync(join(dir, 'damaged.db'), Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4080, 0x5a)]));
    writeFileSync(join(dir, 'not-a-db.db'), 'this is not a database\n');
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: [string, () => string, ScanReport['scan_status']][] = [
    ['a DB file', () => join(dir, 'demo.db'), 'done'],
    ['a damaged DB file', () => join(dir, 'damaged.db'), 'partial_failed'],
    ['a file that is not a DB', () => join(dir, 'not-a-db.db'), 'partial_failed'],
    ['a missing db-path', () => join(dir, 'nope.db'), 'partial_failed'],
    ['an OSV folder', () => OSV, 'done'],
  ];
  for (const [what, path, status] of cases) {
    it(what, async () => {
      const warm = said(await scan(path(), true));
      const cold = said(await scan(path(), false));
      expect(warm).toEqual(cold);
      expect(warm.status).toBe(status);
      if (status === 'done') expect(warm.vulndb?.built_at).toBe(NOW.toISOString());
      if (status === 'done') expect(warm.findings.length).toBeGreaterThan(0);
      else expect(warm.reasons.map((r) => r.code)).toContain('vulndb_unavailable');
      // let any stray promise settle before looking for unhandled rejections
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    });
  }

  it('openDbPathEarly: a DB for a file, null for a folder or a missing path, a handled rejection for a bad file', async () => {
    const good = await openDbPathEarly(join(dir, 'demo.db')).db;
    expect(good?.ecosystems()).toEqual(['Debian:12']);
    good?.close();
    expect(await openDbPathEarly(OSV).db).toBeNull();
    expect(await openDbPathEarly(join(dir, 'nope.db')).db).toBeNull();
    await expect(openDbPathEarly(join(dir, 'not-a-db.db')).db).rejects.toThrow(/not a SQLite database/);
    openDbPathEarly(join(dir, 'damaged.db')); // never awaited: must not surface as an unhandled rejection
    await new Promise((r) => setTimeout(r, 50));
    expect(unhandled).toEqual([]);
  });
});
