/**
 * rpmdb.sqlite files crafted to be slow or hostile (craft-rpmdb.py, built from the real CBL-Mariner 2.0 rpmdb
 * of go-rpmdb's test data), each put in an image with Mariner's os-release and scanned end to end with a time
 * limit. sql.js is synchronous, so the scan's timer cannot interrupt a query: the reader itself must refuse what
 * would not end. Every scan: bounded time, a clear problem naming the file, a schema-valid report, no crash.
 * The control is the same image with the real DB: the packages a damaged DB still yields are a subset of it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/model/report.js';
import type { ScanOptions } from '../../src/scan/ports.js';
import { runScan } from '../../src/scan/run.js';
import { loadSqlJs } from '../../src/vulndb/sqlite.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { offlineScanDeps } from '../helpers/scan-deps.js';
import { haveShared, REPO_ROOT, sharedPath } from '../helpers/shared.js';
import { packImage, packLayer } from '../load/images.js';

const REAL = sharedPath('data', 'pkgdb', 'rpm', 'go-rpmdb-cbl-mariner-2.0', 'rpmdb.sqlite');
const OS_RELEASE = sharedPath('data', 'pkgdb', 'os-release', 'trivy', 'mariner-2.0');
const CRAFT = join(REPO_ROOT, 'test', 'faults', 'craft-rpmdb.py');
const TIMEOUT_S = 30;
const OPTS: ScanOptions = {
  mode: 'light',
  platform: 'linux/amd64',
  maxImageSize: 0,
  maxPackages: 0,
  timeout: TIMEOUT_S,
};
const DB_PATH = 'var/lib/rpm/rpmdb.sqlite';

const work = mkdtempSync(join(tmpdir(), 'scanrook-faults-rpmdb-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** An image of one layer: Mariner's os-release and the given rpmdb.sqlite. */
function marinerImage(name: string, db: string): string {
  const root = join(work, name);
  mkdirSync(join(root, 'etc'), { recursive: true });
  mkdirSync(join(root, 'var', 'lib', 'rpm'), { recursive: true });
  copyFileSync(OS_RELEASE, join(root, 'etc', 'os-release'));
  copyFileSync(db, join(root, DB_PATH));
  const layer = packLayer(root, join(work, `${name}.layer.tar`));
  const image = packImage([layer], join(work, `${name}.docker-oci.tar`), 'docker-oci');
  rmSync(root, { recursive: true });
  rmSync(layer);
  return image;
}

function crafted(kind: string, n?: number): string {
  const out = join(work, `${kind}.sqlite`);
  execFileSync('python3', [CRAFT, REAL, kind, out, ...(n === undefined ? [] : [String(n)])], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return out;
}

async function scan(image: string): Promise<{ report: ScanReport; ms: number; rssMiB: number }> {
  const t0 = performance.now();
  const report = await runScan({ kind: 'path', path: image }, OPTS, offlineScanDeps());
  const ms = performance.now() - t0;
  assertValidReport(report);
  return { report, ms, rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) };
}
const rpmKeys = (r: ScanReport) =>
  r.packages
    .filter((p) => p.type === 'rpm')
    .map((p) => `${p.name} ${p.version} ${p.arch ?? ''}`)
    .sort();
const inventoryProblems = (r: ScanReport) =>
  r.reasons.filter((x) => x.stage === 'inventory' && x.code === 'archive_corrupt').map((x) => x.message);

describe.runIf(haveShared())('rpmdb.sqlite crafted to be slow, in an image, scanned with a time limit', () => {
  let control: ScanReport;
  beforeAll(async () => {
    control = (await scan(marinerImage('control', REAL))).report;
  }, 120_000);

  it('control: the real DB gives the real packages, no problem', () => {
    expect(rpmKeys(control).length).toBeGreaterThan(100);
    expect(inventoryProblems(control)).toEqual([]);
    expect(control.inventory_status).toBe('present');
  });

  const refused = [
    { kind: 'view', why: /\/var\/lib\/rpm\/rpmdb\.sqlite: Packages is a view, not a table; not read/ },
    {
      kind: 'generated',
      why: /\/var\/lib\/rpm\/rpmdb\.sqlite: Packages column blob is computed, not stored; not read/,
    },
  ];
  for (const c of refused) {
    it(`${c.kind}: refused before any row is selected (it would never end / allocate ~900 MB a row)`, async () => {
      const { report, ms, rssMiB } = await scan(marinerImage(c.kind, crafted(c.kind)));
      console.log(
        `${c.kind}: ${ms.toFixed(0)} ms, RSS ${rssMiB} MiB, status ${report.scan_status}, reasons ${JSON.stringify(report.reasons.map((r) => r.code))}`,
      );
      expect(ms).toBeLessThan(10_000);
      expect(inventoryProblems(report).some((m) => c.why.test(m))).toBe(true);
      expect(rpmKeys(report)).toEqual([]);
      expect(report.scan_status).not.toBe('done');
      expect(report.inventory_status).not.toBe('present'); // an rpmdb that cannot be read is not "no packages"
      expect(report.os?.id).toBe('mariner');
    }, 60_000);
  }

  it('cycle: a b-tree page that is its own child stops the read at the first row seen twice; no duplicates', async () => {
    const { report, ms, rssMiB } = await scan(marinerImage('cycle', crafted('cycle')));
    const problems = inventoryProblems(report);
    console.log(
      `cycle: ${ms.toFixed(0)} ms, RSS ${rssMiB} MiB, ${rpmKeys(report).length} packages, problems ${JSON.stringify(problems)}`,
    );
    expect(ms).toBeLessThan(10_000);
    expect(
      problems.some((m) =>
        /rpmdb\.sqlite: sqlite read stopped after \d+ rows: Packages row \d+ came after row \d+ \(corrupt b-tree\)/.test(
          m,
        ),
      ),
    ).toBe(true);
    const keys = rpmKeys(report);
    expect(keys.length).toBeGreaterThan(0); // the rows of the first pass are kept …
    expect(new Set(keys).size).toBe(keys.length); // … once each
    const all = new Set(rpmKeys(control));
    expect(keys.filter((k) => !all.has(k))).toEqual([]);
    expect(report.inventory_status).toBe('partial');
  }, 60_000);

  it('cycle-all: every child pointer of the root is the root itself → malformed, at once', async () => {
    const { report, ms } = await scan(marinerImage('cycle-all', crafted('cycle-all')));
    expect(ms).toBeLessThan(10_000);
    expect(inventoryProblems(report).some((m) => /database disk image is malformed/.test(m))).toBe(true);
    expect(rpmKeys(report)).toEqual([]);
  }, 60_000);

  it('many-rows: the real rows, then 1,000,000 junk rows and a trigger: bounded, the real packages, problems capped', async () => {
    const { report, ms, rssMiB } = await scan(marinerImage('many-rows', crafted('many-rows', 1_000_000)));
    const problems = inventoryProblems(report);
    console.log(
      `many-rows: ${ms.toFixed(0)} ms, RSS ${rssMiB} MiB, ${problems.length} problems listed, last: ${problems.at(-1)}`,
    );
    expect(ms).toBeLessThan((TIMEOUT_S + 5) * 1000);
    expect(rpmKeys(report)).toEqual(rpmKeys(control));
    expect(problems.length).toBeLessThan(100); // one line per junk row would bury the report
    expect(problems.at(-1)).toMatch(/more problems not listed/);
  }, 120_000);

  it('huge-blob: the real rows, then one 200 MiB blob of zeros: bounded, the real packages and a problem for that row', async () => {
    const { report, ms, rssMiB } = await scan(marinerImage('huge-blob', crafted('huge-blob', 200)));
    const problems = inventoryProblems(report);
    console.log(`huge-blob: ${ms.toFixed(0)} ms, RSS ${rssMiB} MiB, problems ${JSON.stringify(problems)}`);
    expect(ms).toBeLessThan((TIMEOUT_S + 5) * 1000);
    expect(rpmKeys(report)).toEqual(rpmKeys(control));
    expect(problems.some((m) => /rpmdb\.sqlite: record \d+/.test(m))).toBe(true);
    // the shared sql.js engine (the vulnerability DB uses it next) still works after holding 200 MiB
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    expect(db.exec('SELECT 6 * 7')[0]!.values).toEqual([[42]]);
    db.close();
  }, 180_000);
});
