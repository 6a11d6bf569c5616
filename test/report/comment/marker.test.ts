/**
 * Issue 16 item 15: a forged sticky-comment marker. Untrusted text (an image tag, a YARA path) that holds
 * `<!-- scanrook:<id> -->` never puts a raw marker into our comment, and a comment is ours only when its first
 * line is our marker and no other marker is in it. The report is a real scan of a generated image whose tag
 * is another job's marker.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMarkedBody, markerComment } from '../../../src/report/comment/marker.js';
import { renderComment } from '../../../src/report/comment/render.js';
import { mdCode } from '../../../src/report/escape.js';
import { renderJobSummary } from '../../../src/report/summary/render.js';
import { runScan } from '../../../src/scan/run.js';
import { dockerArchiveFromDirs } from '../../helpers/docker-archive.js';
import { offlineScanDeps } from '../../helpers/scan-deps.js';
import { item } from './fixtures.js';

const OURS = markerComment('CI/scan');
const OTHER = markerComment('CI/other');
const work = mkdtempSync(join(tmpdir(), 'scanrook-marker-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('isMarkedBody', () => {
  it('is ours only with our marker alone on the first line and no other marker anywhere', () => {
    expect(isMarkedBody(`${OURS}\n\nbody`, OURS)).toBe(true);
    expect(isMarkedBody(`${OURS}\r\nbody`, OURS)).toBe(true);
    expect(isMarkedBody(OURS, OURS)).toBe(true);
    expect(isMarkedBody(`${OTHER}\nimage \`${OURS}\``, OURS)).toBe(false);
    expect(isMarkedBody(`quoting ${OURS}\nbody`, OURS)).toBe(false);
    expect(isMarkedBody(`${OURS} trailing\nbody`, OURS)).toBe(false);
    expect(isMarkedBody(`${OURS}\nimage \`${OTHER}\``, OURS)).toBe(false);
    expect(isMarkedBody(`${OURS}\n${OURS}`, OURS)).toBe(false);
  });
});

describe('untrusted text holding a marker', () => {
  it('mdCode never keeps a raw `<` (a code span would keep the marker in the source)', () => {
    expect(mdCode(OTHER)).not.toContain('<');
    expect(mdCode(OTHER)).toContain('&lt;');
    expect(mdCode('usr/lib/x.so')).toBe('`usr/lib/x.so`');
  });

  it('a report whose image tag is another job’s marker renders a comment with exactly one marker, ours', async () => {
    const layer = join(work, 'l0');
    mkdirSync(join(layer, 'etc'), { recursive: true });
    writeFileSync(join(layer, 'etc/os-release'), 'ID=alpine\nVERSION_ID=3.20.0\nPRETTY_NAME="Alpine Linux v3.20"\n');
    const archive = dockerArchiveFromDirs(
      join(work, 'img.tar'),
      join(work, 'stage'),
      [{ dir: layer, createdBy: 'COPY os-release /etc/' }],
      'app:1',
    );
    const scanned = await runScan(
      { kind: 'path', path: archive },
      { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 0 },
      offlineScanDeps(),
    );
    // The tag as an image could carry it (a RepoTags entry or `--ref`), and a YARA path beside it.
    const report = { ...scanned, target: { ...scanned.target, refs: [OTHER], input: OTHER } };
    const items = [item(report), item({ ...report, target: { ...report.target, refs: [`x ${OTHER}`] } })];
    for (const body of [
      renderComment(items, { marker: 'CI/scan' }),
      renderComment(items.slice(0, 1), { marker: 'CI/scan' }),
    ]) {
      expect(body.split('<!-- scanrook:').length - 1).toBe(1);
      expect(isMarkedBody(body, OURS)).toBe(true);
      expect(isMarkedBody(body, OTHER)).toBe(false);
      expect(body).toContain('&lt;\\!-- scanrook:CI/other --&gt;'); // shown, as text
    }
    expect(renderJobSummary(items, {}).includes(OTHER)).toBe(false);
  });
});
