/**
 * The bundled action (dist/index.js) run as GitHub runs it: Node 24, inputs as INPUT_* variables,
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, a real event payload. Asserts what GitHub would show.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIST, NODE24, parseOutputs } from '../e2e/run-action.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { haveShared, REPO_ROOT, sharedPath } from '../helpers/shared.js';

const work = mkdtempSync(join(tmpdir(), 'scanrook-action-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let run = 0;
function runAction(inputs: Record<string, string>) {
  const dir = join(work, String(run++));
  rmSync(dir, { recursive: true, force: true });
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  mkdirSync(dir, { recursive: true });
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: sharedPath('github', 'event-pull_request-opened.json'),
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: dir,
    'INPUT_REPORT-FILE': join(dir, 'scanrook-report.json'),
    'INPUT_GITHUB-TOKEN': 'ghs_secretvalue1234567890',
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const r = spawnSync(NODE24, [DIST], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    dir,
  };
}

describe.runIf(haveShared())('dist/index.js as a real action process', () => {
  it('scans an archive with offline data: outputs, report file, summary, exit code agree', () => {
    const r = runAction({
      'image-tar': sharedPath('images', 'debian-bookworm.oci.tar'),
      'db-path': join(REPO_ROOT, 'test/fixtures/demo/osv'),
    });
    // the token is registered as a secret (the runner masks it) and appears nowhere else
    const lines = r.stdout.split('\n').filter((l) => l.includes('ghs_secretvalue1234567890'));
    expect(lines).toEqual(['::add-mask::ghs_secretvalue1234567890']);
    expect(r.outputs.status).toBe('done');
    expect(r.outputs.verdict).toBe('pass'); // 16 findings, all of unknown severity (Debian changelogs carry none)
    expect(r.outputs.reasons).toBe('');
    expect(r.outputs.findings).toBe('16');
    expect(r.outputs.unknown).toBe('16');
    expect(r.outputs.high).toBe('0');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/::notice title=ScanRook%3A pass::Passed: the scan completed with 16 finding\(s\)/);
    const report = JSON.parse(readFileSync(r.outputs['report-file']!, 'utf8'));
    assertValidReport(report);
    expect(report.scan_status).toBe(r.outputs.status);
    expect(report.packages).toHaveLength(105);
    expect(report.findings).toHaveLength(16);
    expect(r.summary).toContain('## ScanRook: ✅ pass');
    expect(r.outputs['sarif-file']).toBe('scanrook.sarif');
  });

  it('a missing archive fails the step, counts stay empty (never "0 findings")', () => {
    const r = runAction({ 'image-tar': join(work, 'does-not-exist.tar') });
    expect(r.code).toBe(1);
    expect(r.outputs.status).toBe('failed');
    expect(r.outputs.verdict).toBe('fail');
    expect(r.outputs.reasons).toBe('file_not_found');
    expect(r.outputs.findings).toBe('');
    expect(r.outputs.critical).toBe('');
    expect(r.stdout).toMatch(/::error title=ScanRook%3A fail::Failed because the scan failed \(file_not_found\)/);
    const report = JSON.parse(readFileSync(r.outputs['report-file']!, 'utf8'));
    expect(report.events).toHaveLength(2);
  });

  it('a bad input value fails with a message naming the input', () => {
    const r = runAction({ 'image-tar': sharedPath('images', 'bad', 'small.docker.tar'), mode: 'fast' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Input "mode" must be "light" or "deep", got "fast"');
  });

  it('several images: one report each, the step verdict is the worst', () => {
    const r = runAction({
      'image-tar': [sharedPath('images', 'bad', 'small.docker.tar'), sharedPath('images', 'bad', 'not-a-tar.tar')].join(
        '\n',
      ),
      'db-path': join(REPO_ROOT, 'test/fixtures/demo/osv'),
    });
    expect(r.outputs.status).toBe('failed');
    expect(r.outputs.verdict).toBe('fail');
    const files = r.outputs['report-file']!.split('\n');
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/scanrook-report-1\.json$/);
    const [a, b] = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));
    expect(a.scan_status).toBe('done');
    expect(b.scan_status).toBe('failed');
    expect(r.code).toBe(1);
  });
});
