/**
 * The README's demo command works on a fresh checkout (the committed bundle, the demo image and the real
 * OSV slice in test/fixtures/demo) and shows real findings: the set is computed independently here, with
 * dpkg-query over the demo image's status file and `dpkg --compare-versions` over every record's range.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dpkgQueryAdmindir, extractWanted } from '../helpers/pkg-oracles.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { REPO_ROOT } from '../helpers/shared.js';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const demo = /```sh\n(node dist\/cli\.js scan [^\n]+)\n```/.exec(readme)?.[1];

function dpkgLt(a: string, b: string): boolean {
  return spawnSync('dpkg', ['--compare-versions', a, 'lt', b]).status === 0;
}

describe("the README's demo command", () => {
  it('is in the README', () => expect(demo).toBeDefined());

  it('runs as written and prints the findings', () => {
    const args = demo!.split(/\s+/).slice(1);
    const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/status: done/);
    expect(r.stdout).toMatch(/findings: 16 /);
  });

  it('finds exactly what dpkg says is below the fixed versions', () => {
    const args = demo!.split(/\s+/).slice(1);
    const r = spawnSync(process.execPath, [...args, '--format', 'json', '-q'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    const report = JSON.parse(r.stdout);
    assertValidReport(report);
    const ours = report.findings
      .map(
        (f: { aliases: string[]; id: string; package: string; fixed_version: string }) =>
          `${f.id} ${f.package} ${f.fixed_version}`,
      )
      .sort();

    // independent: the demo's packages from dpkg-query, the records read with unzip, dpkg's comparison
    const root = extractWanted(join(REPO_ROOT, 'test/fixtures/demo/debian-bookworm-dpkg.docker.tar'), [
      'var/lib/dpkg/status',
    ]);
    const rows = dpkgQueryAdmindir(join(root, 'var/lib/dpkg')).map((l) => l.split('\t'));
    rmSync(root, { recursive: true, force: true });
    const work = mkdtempSync(join(tmpdir(), 'scanrook-demo-osv-'));
    execFileSync('unzip', ['-q', '-o', join(REPO_ROOT, 'test/fixtures/demo/osv/Debian/all.zip'), '-d', work]);
    const expected: string[] = [];
    for (const file of execFileSync('find', [work, '-name', '*.json'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)) {
      const rec = JSON.parse(readFileSync(file, 'utf8'));
      const cve = [rec.id, ...(rec.aliases ?? [])].find((id: string) => id.startsWith('CVE-')) ?? rec.id;
      for (const a of rec.affected) {
        if (a.package.ecosystem !== 'Debian:12') continue;
        const fixed = a.ranges[0].events.find((e: { fixed?: string }) => e.fixed)?.fixed as string;
        for (const [name, , , src, srcVersion] of rows) {
          if (src === a.package.name && dpkgLt(srcVersion!, fixed)) expected.push(`${cve} ${name} ${fixed}`);
        }
      }
    }
    rmSync(work, { recursive: true, force: true });
    expect(expected.length).toBeGreaterThan(0);
    expect(ours).toEqual(expected.sort());
  });
});
