/**
 * Disk full while the action writes its files: the JSON report and the SARIF go to a 1 MiB tmpfs that is
 * (nearly) full, so the writes fail with ENOSPC part-way. The bundled action (dist/index.js, Node 24, as GitHub
 * runs it) must still print the verdict, write the job summary (elsewhere), set its outputs (report-file and
 * sarif-file empty), warn about each failed write, exit by the verdict, and leave no partial file behind.
 * Needs root to mount a tmpfs; `mount` refusing is a test failure, not a skip (the brief requires the real fault).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { GitHubStandIn } from '../e2e/github-standin.js';
import type { ActionRun } from '../e2e/run-action.js';
import { runAction } from '../e2e/run-action.js';
import { haveShared, REPO_ROOT } from '../helpers/shared.js';

const DEMO = join(REPO_ROOT, 'test/fixtures/demo/debian-bookworm-dpkg.docker.tar');
const DB = join(REPO_ROOT, 'test/fixtures/demo/osv');

const work = mkdtempSync(join(tmpdir(), 'scanrook-faults-enospc-'));
const full = join(work, 'full');
const gh = new GitHubStandIn();
let mounted = false;

/** Bytes still free on the tmpfs. */
const freeBytes = () => {
  const s = statfsSync(full);
  return s.bavail * s.bsize;
};

/** Fills the tmpfs until exactly `leave` bytes (a multiple of the page size) remain free. */
function fillLeaving(leave: number): void {
  rmSync(join(full, 'filler'), { force: true });
  const size = freeBytes() - leave;
  if (size > 0) writeFileSync(join(full, 'filler'), Buffer.alloc(size, 0x66));
  expect(freeBytes()).toBe(leave);
}

beforeAll(async () => {
  mkdirSync(full);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', full]);
  mounted = true;
  await gh.start();
});
afterAll(async () => {
  await gh.stop();
  if (mounted) execFileSync('umount', [full]);
  rmSync(work, { recursive: true, force: true });
});

const warnings = (r: ActionRun) => r.commands.filter((c) => c.command === 'warning').map((c) => c.message);

describe.runIf(haveShared())('ENOSPC while writing the JSON report and the SARIF (bundled action, 1 MiB tmpfs)', () => {
  const cases = [
    { name: 'nearly full (8 KiB left): the writes start, then fail part-way', leave: 8192 },
    { name: 'completely full (0 bytes left)', leave: 0 },
  ];
  let n = 0;
  const inputsFor = () => ({
    'image-tar': DEMO,
    'db-path': DB,
    'severity-threshold': 'unknown',
    comment: 'never',
    'report-file': join(full, 'out', 'scanrook-report.json'),
    'sarif-file': join(full, 'scanrook.sarif'),
  });

  it('control: with the tmpfs empty, both files are written there (so the failures below are the full disk)', async () => {
    rmSync(join(full, 'filler'), { force: true });
    onTestFinished(() => {
      rmSync(join(full, 'out'), { recursive: true, force: true });
      rmSync(join(full, 'scanrook.sarif'), { force: true });
    });
    const r = await runAction({
      dir: join(work, `run-${n++}`),
      apiUrl: gh.url,
      eventName: 'push',
      ref: 'refs/heads/main',
      inputs: inputsFor(),
    });
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({
      verdict: 'fail',
      'report-file': join(full, 'out', 'scanrook-report.json'),
      'sarif-file': join(full, 'scanrook.sarif'),
    });
    const sizes = ['out/scanrook-report.json', 'scanrook.sarif'].map((f) => statSync(join(full, f)).size);
    console.log(`control: report ${sizes[0]} bytes, SARIF ${sizes[1]} bytes, on a 1 MiB tmpfs`);
    expect(Math.min(...sizes)).toBeGreaterThan(8192); // so 8 KiB free really cuts both writes part-way
  }, 120_000);

  for (const c of cases) {
    it(c.name, async () => {
      fillLeaving(c.leave);
      const dir = join(work, `run-${n++}`);
      const r = await runAction({
        dir,
        apiUrl: gh.url,
        eventName: 'push',
        ref: 'refs/heads/main',
        inputs: inputsFor(),
      });
      console.log(
        `ENOSPC (${c.leave} bytes free): exit ${r.code} in ${r.ms} ms; warnings: ${JSON.stringify(warnings(r))}`,
      );
      expect(r.stderr).toBe('');
      expect(gh.problems).toEqual([]);
      // exit by the verdict: 16 fixable findings at or above "unknown" → fail
      expect(r.code).toBe(1);
      const errs = r.commands.filter((x) => x.command === 'error');
      expect(errs).toHaveLength(1);
      expect(errs[0]!.props.title).toBe('ScanRook: fail');
      expect(errs[0]!.message).toBe(
        'Failed because 16 finding(s) at or above unknown with a fixed version were found.',
      );
      // outputs set, with the two files empty
      expect(r.outputs).toMatchObject({
        status: 'done',
        verdict: 'fail',
        findings: '16',
        unknown: '16',
        'report-file': '',
        'sarif-file': '',
      });
      // one warning per failed write, naming the file and ENOSPC
      const w = warnings(r);
      expect(
        w.filter((m) =>
          /^could not write the JSON report to .*scanrook-report\.json: ENOSPC: no space left on device/.test(m),
        ),
      ).toHaveLength(1);
      expect(
        w.filter((m) => /^could not write the SARIF file .*scanrook\.sarif: ENOSPC: no space left on device/.test(m)),
      ).toHaveLength(1);
      // the job summary (on another disk) has the result and says the SARIF was not written
      expect(r.summary).toContain('## ScanRook: ❌ fail');
      expect(r.summary).toContain('16 vulnerabilities');
      expect(r.summary).toMatch(/not written/);
      expect(r.stdout).toMatch(/: done — fail: /); // the verdict line of the log
      // nothing partial left: only the filler (and the report's folder, empty)
      const left = readdirSync(full, { recursive: true })
        .map(String)
        .filter((p) => p !== 'filler' && p !== 'out')
        .sort();
      expect(left).toEqual([]);
      expect(freeBytes()).toBe(c.leave);
    }, 120_000);
  }
});
