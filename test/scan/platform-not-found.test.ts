/**
 * Issue 12 item 4: `platform: linux/arm64` on an image that is amd64 only ends `partial_failed` with
 * `platform_not_found` (the message names the platform the image has; the image is still read and scanned),
 * which warns under the default policy; the image's own platform (or a variant spelling of it) raises nothing.
 * The image is generated (a one-layer docker save made with the system tar).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideVerdict } from '../../src/policy/verdict.js';
import type { ScanOptions } from '../../src/scan/ports.js';
import { runScan } from '../../src/scan/run.js';
import { dockerArchiveFromDirs } from '../helpers/docker-archive.js';
import { offlineScanDeps } from '../helpers/scan-deps.js';

let tmp: string;
let archive: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'scanrook-platform-'));
  const l = join(tmp, 'l');
  mkdirSync(join(l, 'etc'), { recursive: true });
  writeFileSync(join(l, 'etc', 'os-release'), 'ID=alpine\nVERSION_ID=3.19.1\n');
  archive = dockerArchiveFromDirs(join(tmp, 'img.tar'), join(tmp, 'stage'), [{ dir: l, createdBy: 'COPY / /' }], 'p:1');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const opts = (platform: string): ScanOptions => ({
  mode: 'light',
  platform,
  maxImageSize: 0,
  maxPackages: 0,
  timeout: 0,
});

describe('platform_not_found', () => {
  it('linux/arm64 on an amd64-only image: partial_failed, the platform that exists named, warns by default', async () => {
    const r = await runScan({ kind: 'path', path: archive }, opts('linux/arm64'), offlineScanDeps());
    const reason = r.reasons.find((x) => x.code === 'platform_not_found')!;
    expect(reason).toMatchObject({ stage: 'image' });
    expect(reason.message).toMatch(/platform linux\/arm64 is not in the image: it has linux\/amd64 only/);
    expect(reason.hint).toMatch(/platform/);
    expect(r.scan_status).toBe('partial_failed');
    expect(r.events.find((e) => e.stage === 'image' && e.status === 'failed')!.message).toMatch(/^platform_not_found/);
    // the image was read and scanned all the same
    expect(r.target.platform).toBe('linux/amd64');
    expect(r.events.some((e) => e.stage === 'inventory' && e.status === 'finished')).toBe(true);
    const v = decideVerdict({ status: 'partial_failed', reasons: [reason], findings: [], detections: [] });
    expect(v.verdict).toBe('warn');
  });

  it('the default platform, not asked for (platformAsked false, as the settings give it), raises nothing on an image of another platform', async () => {
    const r = await runScan(
      { kind: 'path', path: archive },
      { ...opts('linux/arm64'), platformAsked: false },
      offlineScanDeps(),
    );
    expect(r.reasons.map((x) => x.code)).not.toContain('platform_not_found');
    expect(r.events.some((e) => e.stage === 'image' && e.status === 'finished')).toBe(true);
    expect(r.target.platform).toBe('linux/amd64');
  });

  it.each(['linux/amd64', 'linux/x86_64'])('%s: no such reason, the image stage finishes', async (platform) => {
    const r = await runScan({ kind: 'path', path: archive }, opts(platform), offlineScanDeps());
    expect(r.reasons.map((x) => x.code)).not.toContain('platform_not_found');
    expect(r.events.some((e) => e.stage === 'image' && e.status === 'finished')).toBe(true);
  });
});
