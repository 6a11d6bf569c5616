/**
 * YARA detections in the human and GitHub outputs, from a real deep scan: a docker-save archive (system tar)
 * whose layer 0 writes AWS's documented example access key into app/.env and whose layer 1 adds a private key
 * generated here and now with `openssl genpkey -algorithm ed25519` (thrown away with the temp folder). The
 * scan runs with `runScan` in deep mode (real reader, real YARA-X engine, built-in rules); SARIF is checked
 * against the OASIS schema and GitHub's rules; the comment, summary and annotations name rule, path and layer
 * and never carry the key bytes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../../src/model/report.js';
import { DEFAULT_POLICY } from '../../../src/policy/verdict.js';
import { planAnnotations } from '../../../src/report/annotations/plan.js';
import { renderComment } from '../../../src/report/comment/render.js';
import { yaraOutcomeLine } from '../../../src/report/comment/yara.js';
import { renderSarif } from '../../../src/report/sarif/render.js';
import { renderJobSummary } from '../../../src/report/summary/render.js';
import { runScan } from '../../../src/scan/run.js';
import { dockerArchiveFromDirs } from '../../helpers/docker-archive.js';
import { offlineScanDeps } from '../../helpers/scan-deps.js';
import { ENGINE_DIR } from '../../yara/engine-dir.js';
import { GITHUB_COMMENT_TAGS, gfmToHtml, haveCmark, tagsOf } from '../comment/cmark.js';
import { item } from '../comment/fixtures.js';
import { assertGitHubSarif } from '../sarif/check.js';

const tmp = mkdtempSync(join(tmpdir(), 'scanrook-yara-out-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// AWS's documented example credentials (docs.aws.amazon.com, "Managing access keys"): not a live key.
const AWS_ID = 'AKIAIOSFODNN7EXAMPLE';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const OPTS = { toolVersion: '0.1.0' };
const eng = ENGINE_DIR ? { engineDir: ENGINE_DIR } : {};

function buildImage(): { archive: string; keyPem: string } {
  const root = join(tmp, 'img');
  const l0 = join(root, 'l0');
  const l1 = join(root, 'l1');
  const out = join(root, 'out');
  for (const d of [join(l0, 'app'), join(l1, 'etc/app'), out]) mkdirSync(d, { recursive: true });
  writeFileSync(join(l0, 'app/.env'), `DEBUG=0\naws_access_key_id=${AWS_ID}\naws_secret_access_key=${AWS_SECRET}\n`);
  execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', join(l1, 'etc/app/signing.pem')]);
  const keyPem = readFileSync(join(l1, 'etc/app/signing.pem'), 'utf8');
  const archive = dockerArchiveFromDirs(
    join(root, 'image.tar'),
    out,
    [
      { dir: l0, createdBy: 'COPY .env /app/' },
      { dir: l1, createdBy: 'COPY signing.pem /etc/app/' },
    ],
    'test/secrets:1',
  );
  return { archive, keyPem };
}

/** Every secret-bearing substring: the AWS values and each base64 line of the generated key. */
function secretPieces(keyPem: string): string[] {
  const body = keyPem.split('\n').filter((l) => l && !l.startsWith('-----'));
  expect(body.length).toBeGreaterThan(0);
  return [AWS_ID, AWS_SECRET, ...body, ...body.map((l) => l.slice(8, 40))];
}

const scanOpts = (mode: 'light' | 'deep') => ({
  mode,
  platform: 'linux/amd64',
  maxImageSize: 0,
  maxPackages: 0,
  timeout: 0,
  yara: { rulesDir: null, ...eng },
});

describe('YARA detections in SARIF, comment, summary and annotations', () => {
  let report: ScanReport;
  let light: ScanReport;
  let pieces: string[];
  beforeAll(async () => {
    const { archive, keyPem } = buildImage();
    pieces = secretPieces(keyPem);
    report = await runScan({ kind: 'path', path: archive }, scanOpts('deep'), offlineScanDeps());
    light = await runScan({ kind: 'path', path: archive }, scanOpts('light'), offlineScanDeps());
  }, 120_000);

  const noSecrets = (s: string) => {
    for (const p of pieces) expect(s.includes(p), `leaked ${p.slice(0, 6)}…`).toBe(false);
  };

  it('the deep scan found the three, with the layers that wrote them', () => {
    expect(report.yara?.status).toBe('ok');
    expect(report.detections.map((d) => [d.path, d.rule, d.layer?.index]).sort()).toEqual([
      ['app/.env', 'aws_access_key_id', 0],
      ['app/.env', 'aws_secret_access_key', 0],
      ['etc/app/signing.pem', 'private_key_pem', 1],
    ]);
    expect(light.detections).toEqual([]);
    expect(light.yara).toBeNull();
  });

  it('SARIF: a yara/<namespace>/<rule> rule each, a result per detection at its path, valid for the schema and GitHub', () => {
    const { sarif } = renderSarif([{ report, category: 'scanrook/secrets' }], OPTS);
    assertGitHubSarif(sarif);
    const run = sarif.runs[0]!;
    const yaraRules = run.tool.driver.rules.filter((r) => r.id.startsWith('yara/'));
    expect(yaraRules.map((r) => r.id)).toEqual([
      'yara/scanrook/aws_access_key_id',
      'yara/scanrook/aws_secret_access_key',
      'yara/scanrook/private_key_pem',
    ]);
    for (const r of yaraRules) {
      expect(r.properties.tags).toContain('yara');
      expect(r.fullDescription.text.length).toBeGreaterThan(10);
      const sev = report.detections.find((d) => `yara/scanrook/${d.rule}` === r.id)!.severity;
      if (sev === 'unknown' || sev === 'negligible') expect(r.properties['security-severity']).toBeUndefined();
      else expect(Number(r.properties['security-severity'])).toBeGreaterThan(0);
    }
    const ys = run.results.filter((x) => x.ruleId.startsWith('yara/'));
    expect(ys.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.artifactLocation.uri]).sort()).toEqual([
      ['yara/scanrook/aws_access_key_id', 'app/.env'],
      ['yara/scanrook/aws_secret_access_key', 'app/.env'],
      ['yara/scanrook/private_key_pem', 'etc/app/signing.pem'],
    ]);
    for (const x of ys) expect(run.tool.driver.rules[x.ruleIndex]!.id).toBe(x.ruleId);
    expect(ys.find((x) => x.ruleId.endsWith('private_key_pem'))!.message.text).toContain(
      'layer 1 (COPY signing.pem /etc/app/)',
    );
    expect(run.properties).toMatchObject({ detections: 3, yara: 'ok' });
    noSecrets(JSON.stringify(sarif));
  });

  it('SARIF fingerprints are stable across runs and differ by category; none when YARA did not run', () => {
    const a = renderSarif([{ report, category: 'scanrook/secrets' }], OPTS).sarif;
    const reordered = {
      ...report,
      detections: [...report.detections].reverse(),
      target: { ...report.target, image_id: 'sha256:' + 'f'.repeat(64) },
    };
    const b = renderSarif([{ report: reordered, category: 'scanrook/secrets/' }], OPTS).sarif;
    const c = renderSarif([{ report, category: 'scanrook/other' }], OPTS).sarif;
    const fp = (s: typeof a) =>
      s.runs[0]!.results.filter((x) => x.ruleId.startsWith('yara/'))
        .map((x) => `${x.ruleId} ${JSON.stringify(x.partialFingerprints)}`)
        .sort();
    expect(fp(b)).toEqual(fp(a));
    expect(new Set(fp(a).map((x) => x.split(' ')[1])).size).toBe(3);
    const cf = new Set(fp(c).map((x) => x.split(' ')[1]));
    for (const x of fp(a)) expect(cf.has(x.split(' ')[1]!)).toBe(false);
    const l = renderSarif([{ report: light, category: 'scanrook/secrets' }], OPTS).sarif;
    assertGitHubSarif(l);
    expect(l.runs[0]!.results.some((x) => x.ruleId.startsWith('yara/'))).toBe(false);
    expect(l.runs[0]!.properties).toMatchObject({ detections: 0, yara: 'not_run' });
  });

  it('SARIF: detections are kept first when the run is capped', () => {
    const { sarif } = renderSarif([{ report, category: 'scanrook/secrets' }], { ...OPTS, maxResultsPerRun: 2 });
    assertGitHubSarif(sarif, { maxResults: 2 });
    expect(sarif.runs[0]!.results.every((x) => x.ruleId.startsWith('yara/'))).toBe(true);
    expect(sarif.runs[0]!.results).toHaveLength(2);
  });

  it('comment and summary: the YARA section with rule, path, layer and severity, the outcome line, no key bytes', () => {
    const it0 = item(report, DEFAULT_POLICY);
    const comment = renderComment([it0], { marker: 'ci/scan' });
    const summary = renderJobSummary([it0]);
    for (const md of [comment, summary]) {
      expect(md).toContain('**Secrets and malware rules (YARA)**: 3 detections (matched text not shown).');
      expect(md).toContain('| Severity | Rule | Path | Layer |');
      expect(md).toMatch(/\| `private_key_pem` \| `etc\/app\/signing\.pem` \| 1 COPY signing\.pem \/etc\/app\/ \|/);
      expect(md).toMatch(/\| `aws_access_key_id` \| `app\/\.env` \| 0 COPY \.env \/app\/ \|/);
      expect(md).toMatch(/YARA: ran 3 rule file\(s\) over \d+ file\(s\) \([\d.]+ MiB\): 3 detections\./);
      noSecrets(md);
      if (haveCmark()) {
        const html = gfmToHtml(md);
        expect(html).toContain('<th>Rule</th>');
        expect(html).toMatch(/<td><code>etc\/app\/signing\.pem<\/code><\/td>/);
        expect(
          tagsOf(html)
            .map((t) => t.replace(/^\//, ''))
            .filter((t) => !GITHUB_COMMENT_TAGS.has(t)),
        ).toEqual([]);
      }
    }
    const lightMd = renderJobSummary([item(light, DEFAULT_POLICY)]);
    expect(lightMd).not.toContain('YARA');
    expect(yaraOutcomeLine(light)).toBeNull();
  });

  it('outcome line: not available and why, stopped by a bound, deep scan that ended first', () => {
    const y = report.yara!;
    expect(
      yaraOutcomeLine({
        ...report,
        yara: {
          ...y,
          status: 'unavailable',
          unavailable: ['no YARA-X engine in /x (expected yara_x_js.js)'],
          detections: [],
        },
        detections: [],
      }),
    ).toBe(
      'YARA: **not available**: no YARA-X engine in /x \\(expected yara\\_x\\_js.js\\). Files were not checked for secrets or malware.',
    );
    expect(yaraOutcomeLine({ ...report, yara: { ...y, stopped_by: 'max_total_bytes', not_reached: 7 } })).toMatch(
      /\*\*Stopped by the limit on bytes scanned\*\*: 7 file\(s\) not reached, so this is not a complete result\.$/,
    );
    expect(yaraOutcomeLine({ ...report, yara: null })).toMatch(/^YARA: \*\*not run\*\*/);
  });

  it('comment with no room for tables still says how many detections there are', () => {
    const md = renderComment([item(report, DEFAULT_POLICY)], { marker: 'ci/scan', maxChars: 1200 });
    expect(md.length).toBeLessThanOrEqual(1200);
    expect(md).toContain('3 detections');
    noSecrets(md);
  });

  it('annotations: one grouped annotation per image with detections, within the 10-per-level budget', () => {
    const as = planAnnotations([item(report, DEFAULT_POLICY)]);
    const y = as.filter((a) => a.title.includes('secret or malware rule'));
    expect(y).toHaveLength(1);
    expect(y[0]!.title).toBe('ScanRook: 3 secret or malware rule matches in test/secrets:1');
    expect(y[0]!.message).toContain('private_key_pem');
    expect(y[0]!.message).toContain('in etc/app/signing.pem (layer 1)');
    expect(y[0]!.message).toContain('in app/.env (layer 0)');
    noSecrets(JSON.stringify(as));
    // 15 images with detections: each level stays within 10 (9 + one "N more").
    const many = Array.from({ length: 15 }, (_, i) =>
      item({ ...report, target: { ...report.target, refs: [`test/secrets:${i}`] } }, DEFAULT_POLICY),
    );
    const lots = planAnnotations(many);
    for (const lv of ['error', 'warning', 'notice'] as const)
      expect(lots.filter((a) => a.level === lv).length).toBeLessThanOrEqual(10);
    expect(lots.some((a) => /more/.test(a.title))).toBe(true);
    expect(planAnnotations([item(light, DEFAULT_POLICY)]).some((a) => a.title.includes('secret or malware'))).toBe(
      false,
    );
  });
});
