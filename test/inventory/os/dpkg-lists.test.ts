/**
 * dpkg file lists (`var/lib/dpkg/info/*.list`) are not kept in light mode (issue 16 item 5): a small gzip layer
 * holding 32 lists of 8 MiB each (256 MiB inflated) costs a light scan far less than the lists, and the
 * packages are still right. Before, os/dpkg and lang/pip both requested every list (16 MiB cap each), so the
 * reader kept all 256 MiB. (Deep mode's files from the lists: dpkg.test.ts.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../../src/model/report.js';
import type { ScanOptions } from '../../../src/scan/ports.js';
import { runScan } from '../../../src/scan/run.js';
import { dockerSave, tarMember } from '../../fuzz/lib/hostile-archives.js';
import { offlineScanDeps } from '../../helpers/scan-deps.js';

const LISTS = 32;
const LIST_BYTES = 8 * 1024 * 1024;

/** One list body: `/.`, then paths under the package's doc folder, LIST_BYTES in all. */
function listBody(pkg: string): Buffer {
  const head = `/.\n/usr\n/usr/share/doc/${pkg}\n`;
  const line = `/usr/share/doc/${pkg}/${'f'.repeat(40)}\n`;
  const n = Math.floor((LIST_BYTES - head.length) / line.length);
  return Buffer.from(head + line.repeat(n));
}

async function gzipLayer(members: () => Generator<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  const gz = Readable.from(
    (function* () {
      yield* members();
      yield Buffer.alloc(1024);
    })(),
  ).pipe(createGzip());
  for await (const c of gz) out.push(c as Buffer);
  return Buffer.concat(out);
}

async function scanPeak(image: string, mode: ScanOptions['mode']): Promise<{ report: ScanReport; grownMb: number }> {
  const opts: ScanOptions = { mode, platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 0 };
  globalThis.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const t = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const report = await runScan({ kind: 'path', path: image }, opts, offlineScanDeps());
  clearInterval(t);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { report, grownMb: (peak - base) / 1048576 };
}

describe(`${LISTS} dpkg file lists of ${LIST_BYTES >> 20} MiB in a gzip layer`, () => {
  const work = mkdtempSync(join(tmpdir(), 'scanrook-dpkg-lists-'));
  const image = join(work, 'lists.docker.tar');
  const names = Array.from({ length: LISTS }, (_, i) => `pkg${i}`);
  beforeAll(async () => {
    const status = names
      .map((n) => `Package: ${n}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.${n.slice(3)}\n`)
      .join('\n');
    const layer = await gzipLayer(function* () {
      yield tarMember('etc/os-release', 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12"\n');
      yield tarMember('var/lib/dpkg/status', status);
      for (const n of names) yield tarMember(`var/lib/dpkg/info/${n}:amd64.list`, listBody(n));
    });
    expect(layer.length).toBeLessThan(8 * 1024 * 1024);
    writeFileSync(image, dockerSave([layer]));
  }, 60_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('light mode: the packages, and far less memory than the lists', async () => {
    const { report, grownMb } = await scanPeak(image, 'light');
    console.log(`light scan: RSS grew ${grownMb.toFixed(0)} MB over ${(LISTS * LIST_BYTES) >> 20} MiB of lists`);
    expect(report.packages.map((p) => p.name).sort()).toEqual([...names].sort());
    expect(report.reasons.filter((r) => r.stage === 'image' || r.stage === 'inventory')).toEqual([]);
    expect(report.packages.every((p) => p.files === undefined)).toBe(true);
    expect(grownMb).toBeLessThan(150);
  }, 60_000);
});
