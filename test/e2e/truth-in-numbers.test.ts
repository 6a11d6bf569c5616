/**
 * Issue 14 item 1, spec §6's last line: a scan whose findings were not (fully) computed never shows a zero
 * count, on any surface. Every shared image (good and bad) runs through the CLI (JSON and table) and through
 * the action (outputs, job summary, PR comment on a local GitHub stand-in, JSON report, SARIF file), from
 * the source, with a DB built from the shared OSV data and with a `db-path` that does not exist.
 *
 * Whether a scan was matched is decided here from what every report version carries — the status, the
 * match stage's event and the reasons — not from the field the fix adds, so the test stands on its own.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/model/report.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { haveShared, sharedPath } from '../helpers/shared.js';
import { BOT, GitHubStandIn } from './github-standin.js';
import { runAction } from './run-action.js';
import { ACTION_SOURCE_ARGV, runCliSource } from './source.js';

const work = mkdtempSync(join(tmpdir(), 'scanrook-truth-'));
const gh = new GitHubStandIn();
const DB = join(work, 'shared-osv.db');
/** A folder with no OSV data in it: vulndb_unavailable (a path that does not exist is a CLI usage error). */
const NO_DB = join(work, 'empty-osv');

const IMAGES = haveShared()
  ? [
      ...readdirSync(sharedPath('images'))
        .filter((f) => /\.tar(\.gz)?$/.test(f))
        .map((f) => sharedPath('images', f)),
      ...readdirSync(sharedPath('images', 'bad')).map((f) => sharedPath('images', 'bad', f)),
    ].sort()
  : [];

/** Reasons after which some packages were listed but not matched. */
const UNMATCHING = new Set([
  'vulndb_unavailable',
  'collection_time_limit_exceeded',
  'unsupported_os',
  'package_collection_limit_exceeded',
  'no_packages_detected',
]);

/** True when the findings were not (fully) computed, by the status, the match event and the reasons. */
function unmatched(r: ScanReport): boolean {
  if (r.scan_status === 'failed') return true;
  if (!r.events.some((e) => e.stage === 'match' && e.status === 'finished')) return true;
  return r.reasons.some((x) => UNMATCHING.has(x.code));
}

/** Lines of a surface's text that show a zero count (of findings, vulnerabilities or a severity). */
function zeroCounts(text: string): string[] {
  const zero = [
    /\b0 (vulnerabilit|finding)/i,
    /\bfindings:? 0\b/i,
    /\b(critical|high|medium|low|negligible|unknown):? 0\b/i,
    /\bno (known )?vulnerabilities\b/i,
    /^\| (found|fixable) \|/,
    /\bfixable 0\b/i,
  ];
  return text.split('\n').filter((l) => zero.some((z) => z.test(l)));
}

const COUNT_OUTPUTS = ['findings', 'critical', 'high', 'medium', 'low', 'negligible', 'unknown'];

beforeAll(async () => {
  if (!haveShared()) return;
  await gh.start();
  mkdirSync(NO_DB);
  const built = await runCliSource(['db', 'build', '--from', sharedPath('data', 'osv'), '--out', DB], work);
  expect(built.code, built.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  if (haveShared()) await gh.stop();
  rmSync(work, { recursive: true, force: true });
});

const cases = IMAGES.flatMap((image) =>
  [
    ['shared OSV DB', DB],
    ['no DB', NO_DB],
  ].map(([dbName, db]) => ({ image, dbName: dbName!, db: db! })),
);
const seen = { unmatched: 0, matched: 0 };

describe.runIf(haveShared())('no surface shows a zero count for a scan that was not (fully) matched', () => {
  it.each(cases)('$image with $dbName', { timeout: 240_000 }, async ({ image, dbName, db }) => {
    const name = image.slice(sharedPath('images').length + 1).replace(/\//g, '__');
    const dir = join(work, `${name}-${dbName.replace(/ /g, '-')}`);
    mkdirSync(dir, { recursive: true });
    const common = ['scan', image, '--db-path', db, '--no-db-cache', '--quiet'];

    // The CLI: JSON report and table.
    const json = await runCliSource([...common, '--format', 'json'], dir);
    const report = JSON.parse(json.stdout) as ScanReport;
    const table = await runCliSource([...common, '--format', 'table'], dir);
    expect(table.code).toBe(json.code);

    // The action, on a pull request, comment always.
    gh.reset();
    const run = await runAction({
      dir: join(dir, 'action'),
      inputs: { 'image-tar': image, 'db-path': db, 'db-cache': 'false', comment: 'always' },
      apiUrl: gh.url,
      argv: ACTION_SOURCE_ARGV,
    });
    expect(gh.problems).toEqual([]);
    const actionReport = JSON.parse(readFileSync(join(run.dir, 'scanrook-report.json'), 'utf8')) as ScanReport;
    const comment = gh.comments.find((c) => c.login === BOT)?.body ?? '';
    const sarif = JSON.parse(readFileSync(join(run.dir, run.outputs['sarif-file'] || 'scanrook.sarif'), 'utf8'));
    expect(unmatched(actionReport)).toBe(unmatched(report));
    assertValidReport(report);
    assertValidReport(actionReport);

    if (unmatched(report)) {
      seen.unmatched++;
      // Every surface's problems at once, so a failure names them all.
      const problems: string[] = [];
      const zeros = (surface: string, text: string) => {
        for (const l of zeroCounts(text)) problems.push(`${surface}: ${l}`);
      };
      for (const [where, r] of [
        ['CLI JSON', report],
        ['action JSON', actionReport],
      ] as const) {
        const s = r.summary as unknown as Record<string, unknown>;
        for (const k of ['findings', 'fixable', 'by_severity'])
          if (s[k] !== undefined) problems.push(`${where}: summary.${k} is ${JSON.stringify(s[k])}`);
        if (s.matching === undefined || s.matching === 'complete')
          problems.push(`${where}: summary.matching is ${s.matching}`);
      }
      zeros('table', table.stdout);
      if (!/not matched: [a-z_]+/.test(table.stdout)) problems.push('table: no "not matched: <reason>"');
      for (const o of COUNT_OUTPUTS) if (run.outputs[o] !== '') problems.push(`output ${o}=${run.outputs[o]}`);
      zeros('job summary', run.summary);
      if (!/not matched: [a-z\\_]+/.test(run.summary)) problems.push('job summary: no "not matched: <reason>"');
      zeros('comment', comment);
      if (!/not matched: [a-z\\_]+|No result: the scan failed/.test(comment))
        problems.push('comment: no "not matched: <reason>"');
      for (const sarifRun of sarif.runs)
        if (sarifRun.properties.findings !== undefined)
          problems.push(`SARIF run properties: findings ${sarifRun.properties.findings}`);
      expect(problems).toEqual([]);
    } else {
      // A complete scan keeps its counts everywhere (the check above is not vacuous).
      seen.matched++;
      expect(report.summary.findings).toBe(report.findings.filter((f) => !f.suppressed).length);
      expect(table.stdout).toMatch(new RegExp(`^findings: ${report.summary.findings} `, 'm'));
      expect(run.outputs.findings).toBe(String(actionReport.summary.findings));
    }
  });

  it('covered both kinds', () => {
    expect(seen.unmatched).toBeGreaterThan(10);
    expect(seen.matched).toBeGreaterThan(0);
  });
});
