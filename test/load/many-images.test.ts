/**
 * One action step, 20 images: the bundled action (dist/index.js) run as GitHub runs it (Node 24 from the
 * `node` devDependency, inputs as INPUT_* variables), INPUT_IMAGE-TAR with 20 lines. The action keeps a
 * repeated line once, so repeats are given as distinct symlinks to the same archive. Checks: 20 reports in
 * input order, the step outputs aggregate them, the worst verdict wins, and the vulnerability DB is prepared
 * once while the ecosystems needed stay the same.
 *
 * "Prepared once" is observed through the reports: every report whose scan used a DB carries the DB's
 * `vulndb.built_at`; a DB object reused by a later scan gives the same value, a DB built again gives a new one
 * (the action's `[vulndb] started/finished` log lines are printed per scan and do not say whether the DB was
 * reused).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TerminalStatus } from '../../src/model/reasons.js';
import { worseStatus } from '../../src/model/reasons.js';
import type { ScanReport } from '../../src/model/report.js';
import type { VerdictValue } from '../../src/policy/verdict.js';
import { DEFAULT_POLICY, decideVerdict } from '../../src/policy/verdict.js';
import { parseOutputs } from '../e2e/run-action.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { haveShared, REPO_ROOT, sharedPath } from '../helpers/shared.js';

const node24 = join(dirname(createRequire(import.meta.url).resolve('node/package.json')), 'bin', 'node');
const DEMO_IMAGE = join(REPO_ROOT, 'test/fixtures/demo/debian-bookworm-dpkg.docker.tar');
const DEMO_DB = join(REPO_ROOT, 'test/fixtures/demo/osv');
const work = mkdtempSync(join(tmpdir(), 'scanrook-load-images-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** 20 distinct paths: each archive in turn, the n-th use of one a symlink `NN-name` to it. */
function twentyLines(name: string, archives: readonly string[]): string[] {
  const dir = join(work, name, 'images');
  mkdirSync(dir, { recursive: true });
  return Array.from({ length: 20 }, (_, i) => {
    const target = archives[i % archives.length]!;
    const link = join(dir, `${String(i + 1).padStart(2, '0')}-${basename(target)}`);
    symlinkSync(target, link);
    return link;
  });
}

function runAction(name: string, lines: readonly string[]) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
    'INPUT_IMAGE-TAR': lines.join('\n'),
    'INPUT_DB-PATH': DEMO_DB,
    'INPUT_REPORT-FILE': join(dir, 'scanrook-report.json'),
  };
  const t0 = performance.now();
  const r = spawnSync(node24, [join(REPO_ROOT, 'dist', 'index.js')], {
    cwd: dir,
    env,
    encoding: 'utf8',
    timeout: 300_000,
  });
  const seconds = (performance.now() - t0) / 1000;
  const outputs = parseOutputs(readFileSync(outputFile, 'utf8'));
  const files = (outputs['report-file'] ?? '').split('\n').filter(Boolean);
  const reports = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as ScanReport);
  console.log(
    `${name}: 20 images in ${seconds.toFixed(1)} s, exit ${r.status}, outputs ${JSON.stringify({ status: outputs.status, verdict: outputs.verdict, reasons: outputs.reasons, findings: outputs.findings })}`,
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs, files, reports };
}

const ORDER: Record<VerdictValue, number> = { pass: 0, warn: 1, fail: 2 };

/** What the outputs must say, computed from the 20 reports with the default policy. */
function aggregate(reports: readonly ScanReport[]) {
  let status: TerminalStatus = 'done';
  let verdict: VerdictValue = 'pass';
  const reasons = new Set<string>();
  for (const r of reports) {
    status = worseStatus(status, r.scan_status);
    const v = decideVerdict(
      { status: r.scan_status, reasons: r.reasons, findings: r.findings },
      DEFAULT_POLICY,
    ).verdict;
    if (ORDER[v] > ORDER[verdict]) verdict = v;
    for (const x of r.reasons) reasons.add(x.code);
  }
  const anyFailed = reports.some((r) => r.scan_status === 'failed');
  const verdicts = reports.map(
    (r) => decideVerdict({ status: r.scan_status, reasons: r.reasons, findings: r.findings }, DEFAULT_POLICY).verdict,
  );
  return {
    status,
    verdict,
    reasons,
    verdicts,
    // No count where any image's findings were not (fully) computed (summary.findings absent, spec §6).
    findings:
      anyFailed || reports.some((r) => r.summary.findings === undefined)
        ? ''
        : String(reports.reduce((n, r) => n + (r.summary.findings ?? 0), 0)),
  };
}

/** The DB builds a step went through: distinct `vulndb.built_at` over the reports, in order. */
const builds = (reports: readonly ScanReport[]) => [
  ...new Set(reports.filter((r) => r.vulndb).map((r) => r.vulndb!.built_at)),
];

describe.runIf(haveShared())('one action step scanning 20 images', () => {
  it('19 Debian 12 images and one that is not an image: 20 reports, the DB prepared once, fail wins, counts empty', () => {
    const debian = [
      sharedPath('images', 'debian-bookworm.oci.tar'),
      sharedPath('images', 'distroless-base.oci.tar'),
      DEMO_IMAGE,
      sharedPath('images', 'bad', 'small.docker.tar'),
      sharedPath('images', 'bad', 'small.oci.tar'),
    ];
    const lines = twentyLines('debian', debian);
    lines[19] = sharedPath('images', 'bad', 'not-a-tar.tar');
    const r = runAction('debian', lines);
    expect(r.reports).toHaveLength(20);
    r.reports.forEach((rep, i) => {
      assertValidReport(rep);
      expect(rep.target.input).toBe(lines[i]);
    });
    expect(r.reports.slice(0, 19).every((rep) => rep.scan_status === 'done')).toBe(true);
    expect(r.reports[19]!.scan_status).toBe('failed');
    // one DB for the 19 scans that used one
    expect(
      r.reports.slice(0, 19).every((rep) => rep.vulndb?.ecosystems.map((e) => e.name).join() === 'Debian:12'),
    ).toBe(true);
    expect(builds(r.reports)).toHaveLength(1);
    expect(r.stdout.match(/^\[vulndb\] started/gm)).toHaveLength(19);
    const want = aggregate(r.reports);
    expect(want.verdicts.slice(0, 19).every((v) => v === 'pass')).toBe(true);
    expect(r.outputs.status).toBe('failed');
    expect(r.outputs.verdict).toBe('fail');
    expect(r.outputs.reasons).toBe([...want.reasons].join(','));
    expect(r.outputs.findings).toBe(''); // a failed scan in the step: no count reads as "0 findings"
    expect(r.code).toBe(1);
  }, 300_000);

  it('the shared images and the demo image (mixed OS and ecosystems): 20 reports, outputs aggregate, warn wins', () => {
    const shared = [
      'alpine-3.10.docker.tar.gz',
      'alpine-3.11.docker.tar.gz',
      'debian-bookworm.oci.tar',
      'distroless-base.oci.tar',
      'hello-world.docker.tar',
      'lang.oci.tar',
      'rpm-fedora38.docker-oci.tar',
      'rpm-rocky9.docker.tar',
      'scratch-busybox.docker.tar',
      'scratch-go.docker.tar',
      'symlinks.tar',
      'whiteout.docker.tar',
    ].map((f) => sharedPath('images', f));
    const lines = twentyLines('mixed', [...shared, DEMO_IMAGE]);
    const r = runAction('mixed', lines);
    expect(r.reports).toHaveLength(20);
    r.reports.forEach((rep, i) => {
      assertValidReport(rep);
      expect(rep.target.input).toBe(lines[i]);
    });
    // each repeat of an archive reports what its first scan reported
    for (let i = 13; i < 20; i++) {
      const a = r.reports[i]!;
      const b = r.reports[i - 13]!;
      expect([a.scan_status, a.packages.length, a.findings.length, a.reasons.map((x) => x.code)]).toEqual([
        b.scan_status,
        b.packages.length,
        b.findings.length,
        b.reasons.map((x) => x.code),
      ]);
    }
    const want = aggregate(r.reports);
    expect(new Set(want.verdicts)).toEqual(new Set(['pass', 'warn']));
    expect(r.outputs.status).toBe(want.status);
    expect(r.outputs.status).toBe('partial_failed');
    expect(r.outputs.verdict).toBe('warn');
    expect(r.outputs.reasons!.split(',').sort()).toEqual([...want.reasons].sort());
    expect(r.outputs.findings).toBe(want.findings);
    // images with nothing detected, or with ecosystems the demo DB has no data for, were not fully matched: the
    // step's counts are empty, not a sum that reads as complete (spec §6), though findings exist
    expect(r.outputs.findings).toBe('');
    expect(r.reports.some((rep) => rep.findings.length > 0)).toBe(true);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^::warning[ :]/m); // the step warns (the annotation's wording belongs to src/action)
    expect(r.stdout).not.toMatch(/^::error[ :]/m);
    // The DB is built again only when a scan needs an ecosystem the current one was not prepared for: never
    // more builds than times the set of ecosystems grew (the provider's contract; ideally 1, see the report).
    const seen = new Set<string>();
    let growths = 0;
    for (const rep of r.reports) {
      const need = rep.vulndb
        ? rep.events
            .find((e) => e.stage === 'vulndb' && e.status === 'started')!
            .message.replace(/^preparing vulnerability data for /, '')
            .split(', ')
        : [];
      if (need.some((e) => !seen.has(e))) growths++;
      for (const e of need) seen.add(e);
    }
    console.log(
      `mixed: ${builds(r.reports).length} DB build(s) for ${growths} growth(s) of the ecosystem set (${[...seen].join(', ')})`,
    );
    expect(builds(r.reports).length).toBeLessThanOrEqual(growths);
  }, 300_000);
});
