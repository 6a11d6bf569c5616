/**
 * Deep mode end to end: the bundled action (dist/index.js, rebuilt with `node .ci/build.mjs`) run as GitHub
 * runs it against the GitHub stand-in (every request validated against GitHub's OpenAPI), and the bundled CLI
 * (dist/cli.js) on the same inputs. Three cases:
 * 1. an image with an installed OS inventory and a secret: the demo image (105 real Debian 12 packages) plus a
 *    layer holding an Ed25519 private key generated here by `openssl genpkey` (thrown away with the temp
 *    folder), packed by the shared `pack-image.py`. The built-in `private_key_pem` rule (high) finds it; the
 *    detection is in the JSON report, the SARIF (uploaded), the PR comment, the job summary, the annotations
 *    and the outputs, and it fails the job (a detection at or above `severity-threshold` gates; fixed-only
 *    does not apply to it). The key's bytes appear nowhere.
 * 2. deep mode on `scratch-go.docker.tar` (no OS package DB): `partial_failed`, `inventory_status: missing`,
 *    `deep_mode_requires_installed_inventory`, the Go stdlib and its real Go vulndb findings still reported,
 *    verdict warn, SARIF written but not uploaded (an incomplete scan would close alerts it did not check).
 * 3. `yara-rules` with one file that does not compile and one that does: `yara_unavailable`, status `done`,
 *    the built-in and the good user rule still run, the findings are all there.
 * One vulnerability data folder serves all runs, offline: the demo's 15 real Debian:12 records and the shared
 * golang/vulndb export (only the ecosystems an image needs are read).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { haveShared, REPO_ROOT, sharedPath } from '../helpers/shared.js';
import { assertGitHubSarif } from '../report/sarif/check.js';
import { BOT, GitHubStandIn } from './github-standin.js';
import type { ActionRun, RunOptions } from './run-action.js';
import { NODE24, runAction, TOKEN } from './run-action.js';

const DEMO = join(REPO_ROOT, 'test/fixtures/demo/debian-bookworm-dpkg.docker.tar');
const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const SARIFS = '/repos/{owner}/{repo}/code-scanning/sarifs';
const RULE = 'yara/scanrook/private_key_pem';

const work = mkdtempSync(join(tmpdir(), 'scanrook-e2e-deep-'));
const gh = new GitHubStandIn();
let n = 0;

/** OSV data laid out as OSV publishes it: Debian (the demo's slice) and Go (golang/vulndb). */
const OSV = join(work, 'osv');
/** The demo image plus a layer with a freshly generated private key. */
const KEY_IMAGE = join(work, 'key-image.docker.tar');
/** A rules folder: one file that does not compile, one that does (it matches the real os-release). */
const RULES = join(work, 'rules');
let keyPem = '';

function buildKeyImage(): void {
  const root = join(work, 'build');
  mkdirSync(join(root, 'demo'), { recursive: true });
  execFileSync('tar', ['-xf', DEMO, '-C', join(root, 'demo')]);
  const manifest = JSON.parse(readFileSync(join(root, 'demo', 'manifest.json'), 'utf8')) as { Layers: string[] }[];
  expect(manifest[0]!.Layers).toHaveLength(1);
  const upper = join(root, 'upper');
  mkdirSync(join(upper, 'etc/app'), { recursive: true });
  execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', join(upper, 'etc/app/signing.pem')]);
  keyPem = readFileSync(join(upper, 'etc/app/signing.pem'), 'utf8');
  const pack = sharedPath('images', 'scripts', 'pack-image.py');
  execFileSync('python3', [pack, 'layer', '--upper', upper, '-o', join(root, 'key-layer.tar')]);
  execFileSync('python3', [
    pack,
    'image',
    '--layer',
    join(root, 'demo', manifest[0]!.Layers[0]!),
    '--layer',
    join(root, 'key-layer.tar'),
    '--tag',
    'scanrook-e2e/deep:1',
    '--format',
    'docker-legacy',
    '--created',
    '2026-11-01T00:00:00Z',
    '-o',
    KEY_IMAGE,
  ]);
}

/** Pieces of the key that must never be printed: each base64 line and a slice of it. */
function keyPieces(): string[] {
  const body = keyPem.split('\n').filter((l) => l && !l.startsWith('-----'));
  expect(body.length).toBeGreaterThan(0);
  return [...body, ...body.map((l) => l.slice(4, 36))];
}
const noKey = (what: string, s: string) => {
  for (const p of keyPieces()) expect(s.includes(p), `${what} carries key bytes`).toBe(false);
};

beforeAll(async () => {
  await gh.start();
  mkdirSync(join(OSV, 'Debian'), { recursive: true });
  mkdirSync(join(OSV, 'Go'), { recursive: true });
  copyFileSync(join(REPO_ROOT, 'test/fixtures/demo/osv/Debian/all.zip'), join(OSV, 'Debian', 'all.zip'));
  if (haveShared()) {
    symlinkSync(sharedPath('data', 'osv', 'Go', 'all.zip'), join(OSV, 'Go', 'all.zip'));
    buildKeyImage();
  }
  mkdirSync(join(RULES, 'team'), { recursive: true });
  // Does not compile: the condition names a pattern the rule never declares.
  writeFileSync(
    join(RULES, 'team', 'broken.yar'),
    'rule broken_rule {\n  strings:\n    $a = "scanrook"\n  condition:\n    $a and $undeclared\n}\n',
  );
  // Compiles, and matches the image's real usr/lib/os-release.
  writeFileSync(
    join(RULES, 'team', 'os.yar'),
    [
      'rule debian_12_os_release {',
      '  meta:',
      '    description = "Debian 12 os-release"',
      '    severity = "low"',
      '  strings:',
      '    $name = "PRETTY_NAME=\\"Debian GNU/Linux 12 (bookworm)\\""',
      '  condition:',
      '    $name',
      '}',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await gh.stop();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => {
  gh.reset();
});

async function run(inputs: Record<string, string>, o: Partial<RunOptions> = {}): Promise<ActionRun> {
  const r = await runAction({
    dir: o.dir ?? join(work, `run-${n++}`),
    inputs: { mode: 'deep', 'db-path': OSV, ...inputs },
    apiUrl: gh.url,
    ...o,
  });
  expect(gh.problems, r.stdout).toEqual([]);
  expect(`${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.includes(TOKEN))).toEqual([`::add-mask::${TOKEN}`]);
  expect(r.stderr).toBe('');
  return r;
}

interface CliRun {
  code: number | null;
  stderr: string;
  report: Record<string, unknown> & { detections: { rule: string; namespace: string }[] };
}
function cli(target: string, args: string[]): CliRun {
  const out = join(work, `cli-${n++}.json`);
  const p = spawnSync(
    NODE24,
    [
      CLI,
      'scan',
      target,
      '--mode',
      'deep',
      '--db-path',
      OSV,
      '--no-db-cache',
      '--format',
      'json',
      '--output',
      out,
      ...args,
    ],
    { encoding: 'utf8', timeout: 120_000, env: { PATH: process.env.PATH ?? '', HOME: work } },
  );
  return { code: p.status, stderr: p.stderr, report: JSON.parse(readFileSync(out, 'utf8')) };
}

const annotations = (r: ActionRun, command: string) => r.commands.filter((c) => c.command === command);
const warnings = (r: ActionRun) => annotations(r, 'warning').map((c) => c.message);
const reportOf = (r: ActionRun) => JSON.parse(readFileSync(join(r.dir, 'scanrook-report.json'), 'utf8'));
const sarifOf = (r: ActionRun) => JSON.parse(readFileSync(join(r.dir, r.outputs['sarif-file']!), 'utf8'));
const ours = () => gh.comments.filter((c) => c.login === BOT);
/** The verdict's sentence as the comment and the summary print it: capitalised, bold, markdown-escaped. */
const boldWhy = (why: string) => `**${why[0]!.toUpperCase()}${why.slice(1).replace(/[_()]/g, '\\$&')}.**`;
const yaraResults = (sarif: {
  runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
}) =>
  sarif.runs[0]!.results.filter((x) => x.ruleId.startsWith('yara/')).map((x) => [
    x.ruleId,
    x.locations[0]!.physicalLocation.artifactLocation.uri,
  ]);

describe.runIf(haveShared())('deep mode end to end (action and CLI)', () => {
  it('a private key in an image with an OS inventory: detected everywhere, and it fails the job', async () => {
    const r = await run({ 'image-tar': KEY_IMAGE, 'upload-sarif': 'true' });
    const why =
      `failed because 1 YARA detection is at or above high: ${RULE}` +
      '; 16 fixable finding(s) have no known severity (unknown), which severity-threshold high cannot gate';

    // The JSON report: inventory present, the 16 real findings, the detection with the layer that added it.
    const report = reportOf(r);
    expect(report).toMatchObject({
      mode: 'deep',
      scan_status: 'done',
      inventory_status: 'present',
      inventory_reason: null,
      reasons: [],
    });
    expect(report.findings).toHaveLength(16);
    expect(report.yara).toMatchObject({ status: 'ok', unavailable: [] });
    expect(report.detections).toHaveLength(1);
    expect(report.detections[0]).toMatchObject({
      rule: 'private_key_pem',
      namespace: 'scanrook',
      severity: 'high',
      path: 'etc/app/signing.pem',
      layer: { index: 1 },
    });

    // The verdict: the 16 findings are unknown severity (no gate at high), the key is high → fail.
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({
      status: 'done',
      verdict: 'fail',
      reasons: '',
      findings: '16',
      unknown: '16',
      high: '0',
      detections: '1',
      'sarif-file': 'scanrook.sarif',
    });
    // Annotations: the verdict first, then the detection (error level: high), then the findings (notice).
    const errs = annotations(r, 'error');
    expect(errs.map((c) => c.props.title)).toEqual([
      'ScanRook: fail',
      'ScanRook: 1 secret or malware rule match in scanrook-e2e/deep:1',
    ]);
    expect(errs[0]!.message).toBe(`F${why.slice(1)}.`);
    expect(errs[1]!.message).toContain('private_key_pem (high) in etc/app/signing.pem (layer 1)');

    // SARIF: the yara/<namespace>/<rule> rule and its result, valid, uploaded as written.
    const sarif = sarifOf(r);
    assertGitHubSarif(sarif);
    expect(sarif.runs[0].tool.driver.rules.map((x: { id: string }) => x.id)).toContain(RULE);
    expect(yaraResults(sarif)).toEqual([[RULE, 'etc/app/signing.pem']]);
    expect(sarif.runs[0].results).toHaveLength(17);
    expect(gh.uploads).toHaveLength(1);
    expect(gh.uploads[0]!.errors).toEqual([]);
    expect(gh.uploads[0]!.sarif).toEqual(sarif);
    expect(warnings(r)).toEqual([]);

    // The PR comment (auto mode: a failing verdict is noteworthy) and the job summary.
    expect(ours()).toHaveLength(1);
    const body = ours()[0]!.body;
    for (const [what, md] of [
      ['comment', body],
      ['summary', r.summary],
    ] as const) {
      expect(md, what).toContain('## ScanRook: ❌ fail');
      expect(md, what).toContain(boldWhy(why));
      expect(md, what).toContain('**Secrets and malware rules (YARA)**: 1 detection');
      expect(md, what).toMatch(/\| `private_key_pem` \| `etc\/app\/signing\.pem` \| 1 /);
      noKey(what, md);
    }
    noKey('SARIF', JSON.stringify(sarif));
    noKey('the log', r.stdout);
    noKey('the JSON report', JSON.stringify(report));

    // The CLI on the same image: the same detection, exit 1 by the same rule; a higher threshold lets it pass.
    const c = cli(KEY_IMAGE, []);
    expect(c.code).toBe(1);
    expect(c.stderr).toContain(`verdict: fail — ${why}`);
    expect(c.report.detections.map((d) => `yara/${d.namespace}/${d.rule}`)).toEqual([RULE]);
    const critical = cli(KEY_IMAGE, ['--severity-threshold', 'critical', '--quiet']);
    expect(critical.code).toBe(0);
    expect(critical.report.detections).toHaveLength(1);
  }, 180_000);

  it('deep mode on an image without an OS package DB: partial_failed, missing inventory, the rest still reported, warn, SARIF not uploaded', async () => {
    const image = sharedPath('images', 'scratch-go.docker.tar');
    const r = await run({ 'image-tar': image, 'upload-sarif': 'true' });
    const report = reportOf(r);
    expect(report).toMatchObject({
      mode: 'deep',
      scan_status: 'partial_failed',
      inventory_status: 'missing',
      inventory_reason: 'deep_mode_requires_installed_inventory',
    });
    expect(report.reasons.map((x: { code: string }) => x.code)).toEqual(['deep_mode_requires_installed_inventory']);
    // Everything else is still there: the Go binary's stdlib, its real Go vulndb findings, the YARA pass.
    expect(report.packages.map((p: { name: string; version: string }) => `${p.name}@${p.version}`)).toEqual([
      'stdlib@1.19.8',
    ]);
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings as { package: string; id: string; aliases: string[] }[]) {
      expect(f.package).toBe('stdlib');
      expect(
        [f.id, ...f.aliases].some((a) => a.startsWith('GO-')),
        f.id,
      ).toBe(true);
    }
    expect(report.yara).toMatchObject({ status: 'ok', files_scanned: 1 });
    expect(report.detections).toEqual([]);

    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({
      status: 'partial_failed',
      verdict: 'warn',
      reasons: 'deep_mode_requires_installed_inventory',
      findings: String(report.findings.length),
      detections: '0',
      'sarif-file': 'scanrook.sarif',
    });
    // SARIF: written, marked incomplete, not uploaded (it would close alerts this scan did not check).
    const sarif = sarifOf(r);
    assertGitHubSarif(sarif);
    expect(sarif.runs[0].results).toHaveLength(report.findings.length);
    expect(sarif.runs[0].properties).toMatchObject({
      scan_status: 'partial_failed',
      inventory_status: 'missing',
      yara: 'ok',
      detections: 0,
    });
    expect(
      sarif.runs[0].invocations[0].toolExecutionNotifications.map(
        (x: { level: string; descriptor: { id: string } }) => [x.level, x.descriptor.id],
      ),
    ).toEqual([['warning', 'deep_mode_requires_installed_inventory']]);
    expect(gh.uploads).toEqual([]);
    expect(gh.seen.filter((s) => s.template === SARIFS)).toEqual([]);
    const w = warnings(r);
    expect(w.some((m) => m.startsWith('SARIF not uploaded: no scan completed'))).toBe(true);
    // The verdict, in the comment and the summary, says why.
    const why =
      'warning because the scan is incomplete (deep_mode_requires_installed_inventory) and warn-on-status includes partial_failed' +
      '; 80 fixable finding(s) have no known severity (unknown), which severity-threshold high cannot gate';
    expect(annotations(r, 'error')).toEqual([]);
    expect(ours()).toHaveLength(1);
    for (const md of [ours()[0]!.body, r.summary]) {
      expect(md).toContain('## ScanRook: ⚠️ warn');
      expect(md).toContain(boldWhy(why));
      expect(md).toContain(
        '- `deep_mode_requires_installed_inventory` (inventory): deep mode needs an installed OS package database',
      );
      expect(md).toContain('not uploaded: the scan is incomplete');
    }

    // The CLI: the same report, exit 0 (warn), the same sentence.
    const c = cli(image, []);
    expect(c.code).toBe(0);
    expect(c.stderr).toContain(`verdict: warn — ${why}`);
    expect(c.report).toMatchObject({
      scan_status: 'partial_failed',
      inventory_status: 'missing',
      inventory_reason: 'deep_mode_requires_installed_inventory',
    });
    expect((c.report.findings as unknown[]).length).toBe(report.findings.length);
  }, 180_000);

  it('yara-rules with a file that does not compile: yara_unavailable, status done, the other rules and the scan go on', async () => {
    const r = await run({ 'image-tar': DEMO, 'yara-rules': RULES, comment: 'always' });
    const report = reportOf(r);
    expect(report.scan_status).toBe('done');
    expect(report.inventory_status).toBe('present');
    expect(report.reasons).toHaveLength(1);
    expect(report.reasons[0]).toMatchObject({ code: 'yara_unavailable', stage: 'analysis' });
    expect(report.reasons[0].message).toContain(join(RULES, 'team', 'broken.yar'));
    expect(report.reasons[0].message).toContain('$undeclared');
    expect(report.findings).toHaveLength(16);
    expect(report.yara.status).toBe('ok');
    expect(report.yara.rules).toContain(join(RULES, 'team', 'os.yar'));
    expect(report.yara.rules).not.toContain(join(RULES, 'team', 'broken.yar'));
    // The good user rule ran over the real os-release; low severity does not gate at the default threshold.
    expect(
      report.detections.map((d: { namespace: string; rule: string; path: string; severity: string }) => [
        d.namespace,
        d.rule,
        d.path,
        d.severity,
      ]),
    ).toEqual([['user/team/os', 'debian_12_os_release', 'usr/lib/os-release', 'low']]);

    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({
      status: 'done',
      verdict: 'pass',
      reasons: 'yara_unavailable',
      findings: '16',
      detections: '1',
    });
    const why =
      'passed: the scan completed with 16 finding(s) and 1 YARA detection(s), none at or above high (findings: with a fixed version)' +
      '; 16 fixable finding(s) have no known severity (unknown), which severity-threshold high cannot gate';
    expect(ours()).toHaveLength(1);
    for (const md of [ours()[0]!.body, r.summary]) {
      expect(md).toContain('## ScanRook: ✅ pass');
      expect(md).toContain('- `yara_unavailable` (analysis): ');
      expect(md).toContain('this pattern is not declared');
      expect(md).toMatch(/\| 🟦 low \| `debian_12_os_release` \(user\/team\/os\) \| `usr\/lib\/os-release` \| 0 /);
    }
    expect(r.stdout).toContain(`done — pass: ${why}`);
    expect(yaraResults(sarifOf(r))).toEqual([['yara/user/team/os/debian_12_os_release', 'usr/lib/os-release']]);

    // The CLI, with --yara-rules: the same reason and detections; a low threshold now gates the user rule.
    const c = cli(DEMO, ['--yara-rules', RULES, '--severity-threshold', 'low']);
    expect(c.code).toBe(1);
    expect(c.stderr).toContain(
      'verdict: fail — failed because 1 YARA detection is at or above low: yara/user/team/os/debian_12_os_release',
    );
    expect((c.report.reasons as { code: string }[]).map((x) => x.code)).toEqual(['yara_unavailable']);
    expect(c.report.scan_status).toBe('done');
  }, 180_000);

  it('light mode on the same key image: YARA does not run, so no detection gates and the output is empty, not "0"', async () => {
    const r = await run({ 'image-tar': KEY_IMAGE, mode: 'light', comment: 'never' });
    const report = reportOf(r);
    expect(report).toMatchObject({ mode: 'light', scan_status: 'done', detections: [], yara: null });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ status: 'done', verdict: 'pass', findings: '16', detections: '' });
    expect(gh.seen).toEqual([]);
  }, 120_000);
});
