/**
 * Issue 14 item 4: the CLI as good as the action, run from the source as a user runs it. Help everywhere (exit
 * 0, short lines), "did you mean" for a mistyped flag or command, a short usage under a usage error (exit 2),
 * every gate input as a flag with the action's case rules, --format table|json|sarif|markdown, hints in the
 * CLI's words, paths checked before the scan, a size limit in the unit the user wrote.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/model/report.js';
import { haveShared, REPO_ROOT, sharedPath } from '../helpers/shared.js';
import { runCliSource } from './source.js';

const DEMO = join(REPO_ROOT, 'test/fixtures/demo/debian-bookworm-dpkg.docker.tar');
const DEMO_DB = join(REPO_ROOT, 'test/fixtures/demo/osv');
const work = mkdtempSync(join(tmpdir(), 'scanrook-cli-'));
const EMPTY_DB = join(work, 'empty-osv');
mkdirSync(EMPTY_DB);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cli = (...args: string[]) => runCliSource(args, work);
const lines = (s: string) => s.replace(/\n$/, '').split('\n');
const demo = (...more: string[]) => cli('scan', DEMO, '--db-path', DEMO_DB, '--no-db-cache', '--quiet', ...more);

describe('help', () => {
  const asks = [
    ['--help'],
    ['-h'],
    ['help'],
    ['scan', '--help'],
    ['scan', '-h'],
    ['scan', 'app.tar', '--mode', 'deep', '--help'],
    ['bin', '--help'],
    ['db', '--help'],
    ['db', 'build', '--help'],
    ['db', 'info', '-h'],
    ['db', 'selftest', '--help'],
    ['help', 'scan'],
    ['help', 'db', 'build'],
  ];
  it.each(asks)('scanrook %s … prints help on stdout, exit 0, short lines', async (...args) => {
    const r = await cli(...args);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^usage: scanrook|^scanrook: /);
    for (const l of lines(r.stdout)) expect(l.length, l).toBeLessThanOrEqual(100);
    expect(lines(r.stdout).length).toBeLessThanOrEqual(45);
  });

  it('the scan help names every gate flag', async () => {
    const r = await cli('scan', '--help');
    for (const f of [
      '--fail-on-status',
      '--warn-on-status',
      '--fail-on-reasons',
      '--warn-on-reasons',
      '--severity-threshold',
      '--fixed-only-gate',
      '--format table|json|sarif|markdown',
    ])
      expect(r.stdout).toContain(f);
  });
});

describe('usage errors: the message, "did you mean", a few lines of usage, exit 2', () => {
  const rows: [args: string[], message: RegExp][] = [
    [
      ['scan', DEMO, '--sevrity-threshold', 'high'],
      /unknown option --sevrity-threshold \(did you mean --severity-threshold\?\)/,
    ],
    [['scan', DEMO, '--db-pth', 'x'], /did you mean --db-path\?/],
    [['scan', DEMO, '--fail-on-stat', 'done'], /did you mean --fail-on-status\?/],
    [['sacn', DEMO], /unknown command "sacn" \(did you mean scan\?\)/],
    [['db', 'biuld'], /unknown db command "biuld" \(did you mean build\?\)/],
    [['db', 'build', '--form', 'x', '--out', 'y'], /unknown option --form \(did you mean --from\?\)/],
    [['scan'], /scan takes exactly one image reference or path, got 0/],
    [['scan', DEMO, '--mode'], /--mode needs a value/],
    [['scan', DEMO, '--format', 'xml'], /--format must be one of "table", "json", "sarif", "markdown", got "xml"/],
    [['scan', DEMO, '--fail-on-status', 'broken'], /--fail-on-status must be a list of/],
    [[], /no command given/],
  ];
  it.each(rows)('%o', async (args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^usage: scanrook/m);
    expect(lines(r.stderr).length).toBeLessThanOrEqual(4);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the gate inputs of the action as flags', () => {
  it('--fail-on-status done fails a completed scan (exit 1); DONE and comma lists as the action takes them', async () => {
    expect((await demo()).code).toBe(0);
    expect((await demo('--fail-on-status', 'done')).code).toBe(1);
    expect((await demo('--fail-on-status', 'DONE')).code).toBe(1);
    expect((await demo('--fail-on-status', 'failed,done')).code).toBe(1);
    expect((await demo('--fail-on-status', 'failed', '--fail-on-status', 'done')).code).toBe(1);
  });

  it('--severity-threshold with --fixed-only-gate false, and --warn-on-status none / --fail-on-reasons', async () => {
    // 16 findings of unknown severity, all with a fix: they gate at "unknown" either way.
    expect((await demo('--severity-threshold', 'unknown', '--fixed-only-gate', 'false')).code).toBe(1);
    expect((await demo('--severity-threshold', 'unknown', '--fixed-only-gate', 'No')).code).toBe(1);
    const empty = ['scan', DEMO, '--db-path', EMPTY_DB, '--no-db-cache', '--quiet'];
    const warn = await cli(...empty, '--format', 'json');
    expect(warn.code).toBe(0);
    expect((JSON.parse(warn.stdout) as ScanReport).reasons.map((r) => r.code)).toContain('vulndb_unavailable');
    expect((await cli(...empty, '--fail-on-reasons', 'vulndb_unavailable')).code).toBe(1);
    expect((await cli(...empty, '--fail-on-status', 'partial_failed')).code).toBe(1);
    const quiet = await cli(...empty, '--warn-on-status', 'none', '--warn-on-reasons', 'none');
    expect(quiet.code).toBe(0);
  });
});

describe('--format table|json|sarif|markdown', () => {
  it('sarif is SARIF 2.1.0, markdown the job summary text', async () => {
    const sarif = await demo('--format', 'sarif');
    expect(sarif.code).toBe(0);
    const log = JSON.parse(sarif.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results.length).toBeGreaterThan(0);
    const md = await demo('--format', 'Markdown');
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^## ScanRook: /);
    expect(md.stdout).toContain('CVE-2025-15649');
  });
});

describe('hints in the CLI words, paths checked before the scan', () => {
  it('never tells a CLI user to set image-tar or `mode: …`; a --db-path without data is not a network problem', async () => {
    const missing = await cli('scan', join(work, 'missing.tar'), '--quiet');
    expect(missing.code).toBe(3);
    const noData = await cli('scan', DEMO, '--db-path', EMPTY_DB, '--no-db-cache', '--quiet');
    const checked = [missing, noData];
    // Deep mode on an image without an OS package DB: its hint says to use light mode.
    if (haveShared())
      checked.push(await cli('scan', sharedPath('images', 'scratch-go.docker.tar'), '--quiet', '--mode', 'deep'));
    for (const r of checked) {
      expect(r.stdout).not.toMatch(/image-tar|`mode: |`db-path`|db-path:/);
      expect(r.stdout).toMatch(/hint: /);
    }
    expect(noData.stdout).not.toMatch(/network/i);
    expect(noData.stdout).toContain('`--db-path`');
  });

  it('--output into a missing folder, or a --db-path that does not exist: a usage error before any scan', async () => {
    const out = await cli('scan', DEMO, '--db-path', DEMO_DB, '--output', join(work, 'no', 'such', 'r.json'));
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/--output .*r\.json: the folder .* does not exist/);
    expect(out.stderr).not.toMatch(/\[input\]|\n\s+at /); // no scan event: the scan never started
    const db = await cli('scan', DEMO, '--db-path', join(work, 'typo-db'));
    expect(db.code).toBe(2);
    expect(db.stderr).toMatch(/--db-path .*typo-db does not exist/);
    expect(db.stderr).not.toMatch(/\[input\]/);
  });

  it('--max-image-size 100KB is reported as 100 KB', async () => {
    const r = await demo('--max-image-size', '100KB', '--format', 'json');
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as ScanReport;
    const reason = report.reasons.find((x) => x.code === 'image_size_exceeded');
    expect(reason?.message).toMatch(/over the 100 KB maximum/);
    const mib = await demo('--max-image-size', '100KiB', '--format', 'json');
    expect((JSON.parse(mib.stdout) as ScanReport).reasons[0]?.message).toMatch(/over the 100 KiB maximum/);
  });
});
