/**
 * `scanrook db build --nvd --epss --kev` and the gates, as a user runs them (the CLI from source): the DB
 * built from the shared Go data with the shared NVD / EPSS / KEV files says what it joined in; `scanrook bin`
 * on scratch-go's binary against it fails by policy (exit 1) on the NVD-rated stdlib findings, where the DB
 * without enrichment passes (exit 0); `--fail-on-kev` / `--epss-threshold` reach the verdict; a bad
 * enrichment input ends the command with exit 3 and a message naming the flag, not a stack.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveShared, sharedPath } from '../helpers/shared.js';
import { runCliSource } from './source.js';

const tmp = mkdtempSync(join(tmpdir(), 'scanrook-db-enrich-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.runIf(haveShared())('db build with enrichment, then the gates', () => {
  const enriched = join(tmp, 'go-enriched.sqlite');
  const plain = join(tmp, 'go.sqlite');
  const hello = join(tmp, 'hello');
  beforeAll(() => {
    execFileSync('tar', ['-xf', sharedPath('images', 'scratch-go.docker.tar'), '-C', tmp]);
    const manifest = JSON.parse(readFileSync(join(tmp, 'manifest.json'), 'utf8')) as { Layers: string[] }[];
    execFileSync('tar', ['-xf', join(tmp, manifest[0]!.Layers[0]!), '-C', tmp, 'hello']);
  });

  it('builds, says what it joined in, and the default policy fails scratch-go where it passed before', async () => {
    const go = sharedPath('data', 'osv', 'Go');
    const b = await runCliSource(
      [
        'db',
        'build',
        '--from',
        go,
        '--out',
        enriched,
        '--nvd',
        sharedPath('data', 'nvd'),
        '--epss',
        sharedPath('data', 'kev-epss', 'epss_scores-2026-01-30.csv.gz'),
        '--kev',
        sharedPath('data', 'kev-epss', 'known_exploited_vulnerabilities.json'),
      ],
      tmp,
    );
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/^enrichment {6}\d+ of the \d+ CVE ids the records name: \d+ with a CVSS rating/m);
    expect(b.stdout).toMatch(/^ {2}epss .*: 313089 read, 0 skipped \(version v2025\.03\.14, dated 2026-01-30\)$/m);
    expect((await runCliSource(['db', 'build', '--from', go, '--out', plain], tmp)).code).toBe(0);

    const before = await runCliSource(['bin', hello, '--db-path', plain, '--format', 'json', '-q'], tmp);
    expect(before.code).toBe(0);
    const after = await runCliSource(['bin', hello, '--db-path', enriched, '--format', 'json', '-q'], tmp);
    expect(after.code).toBe(1);
    const report = JSON.parse(after.stdout) as { findings: { severity: string; severity_source: string | null }[] };
    expect(report.findings.some((f) => /^NVD CVSS_V3\.1 for CVE-/.test(f.severity_source ?? ''))).toBe(true);

    // The gates: severity off, EPSS at 0 (every finding with an EPSS score), KEV (none of these is in KEV).
    const epss = await runCliSource(
      ['bin', hello, '--db-path', enriched, '--severity-threshold', 'none', '--epss-threshold', '0'],
      tmp,
    );
    expect(epss.code).toBe(1);
    expect(epss.stderr).toMatch(
      /verdict: fail — failed because \d+ finding\(s\) with a fixed version have an EPSS score at or above 0 \(epss-threshold\)/,
    );
    const kev = await runCliSource(
      ['bin', hello, '--db-path', enriched, '--severity-threshold', 'none', '--fail-on-kev', 'true'],
      tmp,
    );
    expect(kev.code).toBe(0);
    expect(kev.stderr).toMatch(/none in CISA KEV \(fail-on-kev\)/);
  }, 300_000);

  it('a bad enrichment input: exit 3, the flag and file named, no stack', async () => {
    writeFileSync(join(tmp, 'kev.json'), '{"vulnerabilities": 5}');
    const r = await runCliSource(
      [
        'db',
        'build',
        '--from',
        sharedPath('data', 'osv', 'Go'),
        '--out',
        join(tmp, 'x.sqlite'),
        '--kev',
        join(tmp, 'kev.json'),
      ],
      tmp,
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^scanrook: db build: --kev .*kev\.json: not a KEV catalogue/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const bad = await runCliSource(['bin', hello, '--epss-threshold', '5'], tmp);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--epss-threshold must be a number from 0 to 1/);
  }, 120_000);
});
