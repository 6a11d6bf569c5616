/**
 * The JSON report text (src/report/json.ts): byte-identical to JSON.stringify for a normal report; a report
 * that cannot be stringified (a nested value whose toJSON throws RangeError, as a string past V8's limit does)
 * still gives a schema-valid minimal report with an internal_error reason (issue 16 item 9).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/model/report.js';
import { reportJson } from '../../src/report/json.js';
import type { ScanOptions } from '../../src/scan/ports.js';
import { runScan } from '../../src/scan/run.js';
import { dockerArchiveFromDirs } from '../helpers/docker-archive.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { offlineScanDeps } from '../helpers/scan-deps.js';

const LIGHT: ScanOptions = { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 0 };
const tmp = mkdtempSync(join(tmpdir(), 'scanrook-report-json-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let report: ScanReport;
beforeAll(async () => {
  const root = join(tmp, 'root');
  mkdirSync(join(root, 'app'), { recursive: true });
  writeFileSync(
    join(root, 'app', 'package-lock.json'),
    JSON.stringify({
      name: 'app',
      lockfileVersion: 3,
      packages: { '': { name: 'app' }, 'node_modules/left-pad': { version: '1.3.0' } },
    }),
  );
  const archive = dockerArchiveFromDirs(
    join(tmp, 'image.tar'),
    join(tmp, 'work'),
    [{ dir: root, createdBy: 'COPY app /app' }],
    'json/test:1',
  );
  report = await runScan({ kind: 'path', path: archive }, LIGHT, offlineScanDeps());
});

/** A value that cannot be stringified, as a string past V8's length limit cannot. */
const unstringifiable = () => ({
  toJSON() {
    throw new RangeError('Invalid string length');
  },
});

describe('reportJson', () => {
  it('is JSON.stringify(report, null, 2) for a report that fits', () => {
    expect(reportJson(report)).toBe(`${JSON.stringify(report, null, 2)}\n`);
  });

  it('writes a schema-valid minimal report when the full one cannot be stringified', () => {
    const broken = structuredClone(report);
    (broken.packages as unknown[]).push(unstringifiable());
    (broken.target.labels as Record<string, unknown>).huge = unstringifiable();
    expect(() => JSON.stringify(broken)).toThrow(RangeError);
    const text = reportJson(broken);
    const min = JSON.parse(text) as ScanReport;
    assertValidReport(min);
    expect(min.packages).toEqual([]);
    expect(min.findings).toEqual([]);
    expect(min.events.length).toBeGreaterThan(0);
    expect(min.events.length).toBeLessThanOrEqual(16);
    expect(min.target.labels).toEqual({});
    expect(min.target.input).toBe(report.target.input);
    expect(min.summary).toEqual(report.summary);
    expect(min.scan_status).not.toBe('done');
    const last = min.reasons.at(-1)!;
    expect(last.code).toBe('internal_error');
    expect(last.message).toMatch(/full JSON report could not be written \(.*Invalid string length/);
    expect(min.reasons.slice(0, -1)).toEqual(report.reasons);
  });

  it('keeps what fits: an unstringifiable os or vulndb becomes null, not a lost report', () => {
    const broken = structuredClone(report);
    (broken as { os: unknown }).os = unstringifiable();
    const min = JSON.parse(reportJson(broken)) as ScanReport;
    assertValidReport(min);
    expect(min.os).toBeNull();
  });
});
