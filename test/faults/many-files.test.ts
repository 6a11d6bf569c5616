/**
 * An image layer of 1,000,000 empty files (header blocks only, ~512 MB of tar) and a folder nested 2,000 levels
 * deep (paths of ~6,000 characters, in PAX headers), built here directly as a tar. The scan completes, or stops
 * at its time limit saying so; memory stays bounded (peak RSS printed); the report is schema-valid. Entries whose
 * path is over PATH_MAX (the deep folder's last 636 levels and its leaf) are skipped and said so (archive_corrupt).
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_PATH_BYTES } from '../../src/image/layer-index.js';
import type { ScanOptions } from '../../src/scan/ports.js';
import { runScan } from '../../src/scan/run.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { offlineScanDeps } from '../helpers/scan-deps.js';
import { haveShared } from '../helpers/shared.js';
import { packImage } from '../load/images.js';

const FILES = 1_000_000;
const DEPTH = 2_000;
const TIMEOUT_S = 150;
const TAIL_MS = 5_000;

/** A ustar header block; `type` 'x' is a PAX extended header for the entry after it. */
function header(name: string, size: number, type: '0' | '5' | 'x', mode: number): Buffer {
  const h = Buffer.alloc(512);
  const put = (off: number, len: number, v: string) => h.write(v, off, len, 'ascii');
  const oct = (off: number, len: number, v: number) => put(off, len, v.toString(8).padStart(len - 1, '0') + '\0');
  put(0, 100, name);
  oct(100, 8, mode);
  oct(108, 8, 0);
  oct(116, 8, 0);
  oct(124, 12, size);
  oct(136, 12, 0);
  put(148, 8, '        ');
  put(156, 1, type);
  put(257, 6, 'ustar\0');
  put(263, 2, '00');
  let sum = 0;
  for (const b of h) sum += b;
  put(148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

/** A PAX record "LEN path=VALUE\n", LEN counting itself. */
function paxPath(path: string): Buffer {
  const body = ` path=${path}\n`;
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len++;
  const rec = Buffer.from(`${len}${body}`);
  const padded = Buffer.alloc(Math.ceil(rec.length / 512) * 512);
  rec.copy(padded);
  return Buffer.concat([header('PaxHeader', rec.length, 'x', 0o644), padded]);
}

/** Writes the layer in 8 MiB chunks (never the whole tar in memory). Returns the entry count and how many paths are over PATH_MAX. */
function hostileLayer(out: string): { entries: number; overCap: number } {
  const fd = openSync(out, 'w');
  let buf: Buffer[] = [];
  let size = 0;
  let entries = 0;
  const push = (b: Buffer) => {
    buf.push(b);
    size += b.length;
    if (size >= 8 << 20) flush();
  };
  const flush = () => {
    writeSync(fd, Buffer.concat(buf));
    buf = [];
    size = 0;
  };
  for (let d = 0; d < FILES / 1000; d++) {
    push(header(`m/d${String(d).padStart(3, '0')}/`, 0, '5', 0o755));
    entries++;
  }
  for (let i = 0; i < FILES; i++) {
    push(header(`m/d${String(Math.floor(i / 1000)).padStart(3, '0')}/${i}`, 0, '0', 0o644));
    entries++;
  }
  let path = 'deep';
  let overCap = 0;
  for (let level = 0; level < DEPTH; level++) {
    path += '/ab';
    push(paxPath(`${path}/`));
    push(header(`deep/pax-${level}/`, 0, '5', 0o755));
    entries++;
    if (path.length > MAX_PATH_BYTES) overCap++;
  }
  push(paxPath(`${path}/leaf`));
  push(header('deep/pax-leaf', 0, '0', 0o644));
  entries++;
  if (`${path}/leaf`.length > MAX_PATH_BYTES) overCap++;
  push(Buffer.alloc(1024));
  flush();
  closeSync(fd);
  return { entries, overCap };
}

describe.runIf(haveShared())('1,000,000 tiny files and a 2,000-level folder in one layer', () => {
  const work = mkdtempSync(join(tmpdir(), 'scanrook-faults-manyfiles-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it(
    'the scan completes or stops at its limit, with bounded memory and a schema-valid report',
    async () => {
      let t = performance.now();
      const { entries, overCap } = hostileLayer(join(work, 'layer.tar'));
      const image = packImage([join(work, 'layer.tar')], join(work, 'many.docker-oci.tar'), 'docker-oci');
      rmSync(join(work, 'layer.tar'));
      const buildMs = performance.now() - t;
      const rss0 = process.memoryUsage().rss;
      const opts: ScanOptions = {
        mode: 'light',
        platform: 'linux/amd64',
        maxImageSize: 0,
        maxPackages: 0,
        timeout: TIMEOUT_S,
      };
      let peak = rss0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 100);
      t = performance.now();
      const report = await runScan({ kind: 'path', path: image }, opts, offlineScanDeps());
      const ms = performance.now() - t;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      assertValidReport(report);
      const read = report.target.layers[0]?.entries ?? 0;
      console.log(
        `many files: built ${entries} entries in ${buildMs.toFixed(0)} ms; scan ${ms.toFixed(0)} ms, ${report.scan_status}, ` +
          `reasons ${JSON.stringify(report.reasons.map((r) => `${r.code}@${r.stage}`))}, entries read ${read}; ` +
          `RSS before ${(rss0 / 2 ** 20).toFixed(0)} MiB, sampled peak ${(peak / 2 ** 20).toFixed(0)} MiB, process max ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
      );
      expect(ms).toBeLessThan(TIMEOUT_S * 1000 + TAIL_MS);
      expect(peak - rss0).toBeLessThan(1024 * 2 ** 20); // bounded: well under the 512 MB of headers
      const codes = report.reasons.map((r) => r.code);
      if (codes.includes('collection_time_limit_exceeded')) {
        expect(report.scan_status).toBe('partial_failed');
        expect(read).toBeLessThanOrEqual(entries);
      } else {
        // read to the end: every entry counted but those over PATH_MAX, which are skipped and said so; nothing
        // found, and the scan says that is not "safe"
        expect(overCap).toBe(637);
        expect(read).toBe(entries - overCap);
        expect(
          report.reasons
            .filter((r) => r.code === 'archive_corrupt')
            .map((r) => r.message)
            .join('\n'),
        ).toContain(`${overCap} entries skipped`);
        expect(report.scan_status).toBe('partial_failed');
        expect(report.packages).toEqual([]);
        expect(codes).toContain('no_packages_detected');
        expect(codes).not.toContain('internal_error');
      }
    },
    (TIMEOUT_S + 120) * 1000,
  );
});
