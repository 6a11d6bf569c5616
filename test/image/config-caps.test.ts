/**
 * A hostile image config (issue 16 item 9): over the JSON metadata cap it is refused (archive_corrupt, its size
 * named) on the archive, folder and stream paths; under it, a config with 100,000 history entries and huge
 * env/labels is copied into the report capped, and the report stays schema-valid.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_JSON } from '../../src/image/catalog.js';
import { MAX_REPORT_ENV, MAX_REPORT_HISTORY, MAX_REPORT_LABELS, MAX_REPORT_TEXT } from '../../src/image/config.js';
import { ImageError } from '../../src/image/types.js';
import type { ScanOptions } from '../../src/scan/ports.js';
import { runScan } from '../../src/scan/run.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { offlineScanDeps } from '../helpers/scan-deps.js';
import { readPath, readStream } from './helpers.js';

const LIGHT: ScanOptions = { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 0 };
const tmp = mkdtempSync(join(tmpdir(), 'scanrook-config-caps-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A one-layer docker save folder and archive whose config is `config(diffId)`. */
function imageWithConfig(name: string, config: (diffId: string) => string): { dir: string; archive: string } {
  const dir = join(tmp, name);
  const root = join(dir, 'root');
  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'etc', 'hello'), 'hi\n');
  mkdirSync(join(dir, 'image', 'l0'), { recursive: true });
  const layer = join(dir, 'image', 'l0', 'layer.tar');
  execFileSync('tar', ['-cf', layer, '--owner=0', '--group=0', '-C', root, '.']);
  const diffId = `sha256:${createHash('sha256')
    .update(execFileSync('cat', [layer], { maxBuffer: 1 << 24 }))
    .digest('hex')}`;
  writeFileSync(join(dir, 'image', 'config.json'), config(diffId));
  writeFileSync(
    join(dir, 'image', 'manifest.json'),
    JSON.stringify([{ Config: 'config.json', RepoTags: ['hostile/config:1'], Layers: ['l0/layer.tar'] }]),
  );
  const archive = join(dir, 'image.tar');
  execFileSync('tar', ['-cf', archive, '-C', join(dir, 'image'), '.']);
  return { dir: join(dir, 'image'), archive };
}

const base = (diffId: string, extra: Record<string, unknown> = {}) => ({
  architecture: 'amd64',
  os: 'linux',
  rootfs: { type: 'layers', diff_ids: [diffId] },
  ...extra,
});

describe('image config over the JSON cap', () => {
  // valid JSON just over the cap: one padded label
  const big = imageWithConfig('big', (d) =>
    JSON.stringify(base(d, { config: { Labels: { pad: 'x'.repeat(MAX_JSON + 1) } } })),
  );
  const expectRefused = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ImageError);
    expect((e as ImageError).code).toBe('archive_corrupt');
    expect((e as ImageError).message).toMatch(/image config \(config\.json\) is too large .*over the 32 MiB cap/);
  };
  it('is refused from an archive file', async () => expectRefused(readPath(big.archive)));
  it('is refused from a folder', async () => expectRefused(readPath(big.dir)));
  it('is refused from a docker stream', async () => expectRefused(readStream(big.archive)));
  it('fails the scan with archive_corrupt, the report written and schema-valid', async () => {
    const report = await runScan({ kind: 'path', path: big.archive }, LIGHT, offlineScanDeps());
    assertValidReport(report);
    expect(report.scan_status).toBe('failed');
    expect(report.reasons.map((r) => r.code)).toContain('archive_corrupt');
    expect(JSON.stringify(report).length).toBeLessThan(1 << 20);
  });
});

describe('a large config copied into the report', () => {
  const HIST = 100_000;
  const huge = 'y'.repeat(100_000);
  const cfg = imageWithConfig('wide', (d) =>
    JSON.stringify(
      base(d, {
        config: {
          Env: Array.from({ length: 5000 }, (_, i) => (i === 0 ? `A=${huge}` : `V${i}=1`)),
          Labels: Object.fromEntries(
            Array.from({ length: 5000 }, (_, i) => [i === 0 ? `k${huge}` : `l${i}`, i === 1 ? huge : 'v']),
          ),
        },
        history: [
          { created_by: `RUN ${huge}`, comment: huge },
          ...Array.from({ length: HIST - 1 }, (_, i) => ({ created_by: `RUN ${i}`, empty_layer: true })),
        ],
      }),
    ),
  );
  it('caps history, env and labels, says so once, and stays schema-valid', async () => {
    const report = await runScan({ kind: 'path', path: cfg.archive }, LIGHT, offlineScanDeps());
    assertValidReport(report);
    const t = report.target;
    expect(t.history).toHaveLength(MAX_REPORT_HISTORY);
    expect(t.history[0]!.created_by!.length).toBe(MAX_REPORT_TEXT + 1);
    expect(t.history[0]!.comment!.length).toBe(MAX_REPORT_TEXT + 1);
    expect(t.layers[0]!.created_by!.length).toBe(MAX_REPORT_TEXT + 1);
    expect(t.env).toHaveLength(MAX_REPORT_ENV);
    expect(t.env[0]!.length).toBe(MAX_REPORT_TEXT + 1);
    expect(Object.keys(t.labels)).toHaveLength(MAX_REPORT_LABELS);
    expect(Math.max(...Object.keys(t.labels).map((k) => k.length))).toBeLessThanOrEqual(1025);
    expect(t.labels.l1!.length).toBe(MAX_REPORT_TEXT + 1);
    const said = report.events.filter((e) => e.message.includes('larger than the report copies'));
    expect(said).toHaveLength(1);
    expect(said[0]!.stage).toBe('image');
    expect(said[0]!.message).toContain(`history: the first ${MAX_REPORT_HISTORY} of ${HIST} entries`);
    expect(JSON.stringify(report).length).toBeLessThan(2 << 20);
  });
});
