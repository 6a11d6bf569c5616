import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mapImage } from '../../../src/dockerfile/image.js';
import { parseSource } from '../../../src/dockerfile/source.js';
import type { Finding, ScanReport } from '../../../src/model/report.js';
import { renderSarif, SarifRenderError } from '../../../src/report/sarif/render.js';
import { securitySeverity } from '../../../src/report/sarif/severity.js';
import type { SarifLog } from '../../../src/report/sarif/types.js';
import { fixtureText, targetFromConfig } from '../../dockerfile/fixtures.js';
import { haveShared, sharedPath } from '../../helpers/shared.js';
import { assertGitHubSarif, githubErrors } from './check.js';
import { findingsFromRecords, scanSharedImage, withFindings } from './real-findings.js';

const OPTS = { toolVersion: '0.1.0', informationUri: 'https://github.com/example/scanrook' };

async function debianWithFindings(): Promise<ScanReport> {
  const r = await scanSharedImage('debian-bookworm.oci.tar');
  const findings = findingsFromRecords(r, 'Debian/bookworm-changelog');
  expect(findings.length).toBeGreaterThan(0);
  return withFindings(r, findings);
}

const uris = (s: SarifLog) =>
  s.runs.flatMap((r) => r.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri));
const fps = (s: SarifLog) => s.runs.flatMap((r) => r.results.map((x) => JSON.stringify(x.partialFingerprints)));
const ruleIds = (s: SarifLog) => s.runs.flatMap((r) => r.tool.driver.rules.map((x) => x.id));

describe.runIf(haveShared())('SARIF from real scans with findings built from real OSV records', () => {
  it('debian-bookworm + Debian 12 changelog advisories: valid for the schema and for GitHub', async () => {
    const report = await debianWithFindings();
    const { sarif, trimmed, incomplete } = renderSarif([{ report, category: 'scanrook/debian' }], OPTS);
    assertGitHubSarif(sarif);
    expect(trimmed).toEqual([]);
    const run = sarif.runs[0]!;
    expect(run.automationDetails.id).toBe('scanrook/debian/');
    expect(run.tool.driver).toMatchObject({
      name: 'ScanRook',
      semanticVersion: '0.1.0',
      informationUri: OPTS.informationUri,
    });
    const keys = new Set(report.findings.map((f) => `${f.id} ${f.package}`));
    expect(run.results).toHaveLength(keys.size);
    expect(ruleIds(sarif).sort()).toEqual([...new Set(report.findings.map((f) => f.id))].sort());
    // The real records carry no severity: unknown, still present, never "low", no security-severity.
    for (const rule of run.tool.driver.rules) {
      expect(rule.properties['security-severity']).toBeUndefined();
      expect(rule.properties.tags).toContain('unknown');
      expect(rule.help.markdown).toContain('| Package | Type | Installed | Fixed | Location |');
    }
    for (const res of run.results) expect(res.level).toBe('warning');
    const perl = run.results.find((x) => x.ruleId === 'DEBIAN-CVE-2025-15649')!;
    expect(perl.message.text).toMatch(
      /^perl-base 5\.36\.0-7\+deb12u3 is affected by DEBIAN-CVE-2025-15649 \(unknown\); fixed in 5\.36\.0-7\+deb12u4\./,
    );
    expect(perl.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'var/lib/dpkg/status' },
      region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
    });
    // The scan had no DB (vulndb_unavailable): the caller is told the run is incomplete.
    expect(incomplete.map((x) => [x.run, x.status])).toEqual([[0, 'partial_failed']]);
    expect(run.invocations[0]!.toolExecutionNotifications!.map((n) => n.descriptor!.id)).toContain(
      'vulndb_unavailable',
    );
  });

  it('with a Dockerfile whose steps the image history does not show: the FROM line, confidence fallback', async () => {
    const report = await debianWithFindings();
    const text = 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n';
    const dockerfile = mapImage(parseSource('./docker/Dockerfile', text), report)!;
    expect(dockerfile.mapping.confidence).toBe('fallback');
    const out = renderSarif([{ report, category: 'app', dockerfile }], OPTS);
    assertGitHubSarif(out.sarif);
    for (const res of out.sarif.runs[0]!.results) {
      expect(res.locations[0]!.physicalLocation).toEqual({
        artifactLocation: { uri: 'docker/Dockerfile' },
        region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 'FROM debian:12'.length + 1 },
      });
      expect(res.properties!.dockerfile_confidence).toBe('fallback');
    }
  });

  it("locations through a real build history (labelled: real findings, layer indexes set to the fixture image's layers)", async () => {
    const base = await debianWithFindings();
    const t = targetFromConfig('multistage.classic.config.json');
    const f0 = base.findings[0]!;
    const f1 = base.findings.find((f) => f.package !== f0.package)!;
    const report: ScanReport = {
      ...base,
      target: { ...base.target, layers: t.layers, history: t.history },
      findings: [
        { ...f0, layer: { index: 0, digest: null, created_by: t.layers[0]!.created_by } },
        { ...f1, layer: { index: 1, digest: null, created_by: t.layers[1]!.created_by } },
      ],
    };
    const dockerfile = mapImage(parseSource('Dockerfile', fixtureText('multistage.Dockerfile')), report)!;
    expect(dockerfile.mapping.confidence).toBe('exact');
    const out = renderSarif([{ report, category: 'app', dockerfile }], OPTS);
    assertGitHubSarif(out.sarif);
    const byPkg = new Map(out.sarif.runs[0]!.results.map((r) => [r.properties!.package, r]));
    expect(byPkg.get(f0.package)!.locations[0]!.physicalLocation.region).toEqual({
      startLine: 9,
      startColumn: 1,
      endLine: 9,
      endColumn: 17,
    });
    expect(byPkg.get(f0.package)!.message.text).toMatch(/comes with the base image/);
    expect(byPkg.get(f1.package)!.locations[0]!.physicalLocation.region).toEqual({
      startLine: 13,
      startColumn: 1,
      endLine: 16,
      endColumn: 17,
    });
    expect(byPkg.get(f1.package)!.properties!.dockerfile_confidence).toBe('exact');
  });

  it('stable identities: another digest, other timestamps, a newer installed version → same rule ids, fingerprints, URIs', async () => {
    const a = await debianWithFindings();
    const b: ScanReport = {
      ...a,
      target: {
        ...a.target,
        image_id: 'sha256:' + 'f'.repeat(64),
        manifest_digest: 'sha256:' + 'e'.repeat(64),
        created: '2030-01-01T00:00:00Z',
        layers: a.target.layers.map((l) => ({
          ...l,
          digest: 'sha256:' + 'd'.repeat(64),
          diff_id: 'sha256:' + 'c'.repeat(64),
        })),
      },
      timings: { ...a.timings, started_at: '2030-01-01T00:00:00Z', finished_at: '2030-01-01T00:01:00Z' },
      findings: [...a.findings].reverse().map((f) => ({
        ...f,
        installed_version: `${f.installed_version}+rebuild1`,
        layer: f.layer ? { ...f.layer, digest: 'sha256:' + 'b'.repeat(64) } : null,
      })),
    };
    const sa = renderSarif([{ report: a, category: 'scanrook/debian' }], OPTS).sarif;
    const sb = renderSarif([{ report: b, category: 'scanrook/debian' }], OPTS).sarif;
    expect(ruleIds(sb)).toEqual(ruleIds(sa));
    expect(fps(sb)).toEqual(fps(sa));
    expect(uris(sb)).toEqual(uris(sa));
    for (const v of [...ruleIds(sb), ...uris(sb), ...fps(sb)]) expect(v).not.toMatch(/sha256|[0-9a-f]{64}|2030-/);
    // A different category is a different alert stream.
    const sc = renderSarif([{ report: a, category: 'scanrook/other' }], OPTS).sarif;
    expect(fps(sc)).not.toEqual(fps(sa));
  });

  it('several images: one run each, distinct automationDetails ids, each valid', async () => {
    const deb = await debianWithFindings();
    const alpine = await scanSharedImage('alpine-3.10.docker.tar.gz');
    const hello = await scanSharedImage('hello-world.docker.tar');
    const { sarif } = renderSarif(
      [
        { report: deb, category: 'scanrook/debian' },
        { report: alpine, category: 'scanrook/alpine' },
        { report: hello, category: 'scanrook/hello/' },
      ],
      OPTS,
    );
    assertGitHubSarif(sarif);
    expect(sarif.runs.map((r) => r.automationDetails.id)).toEqual([
      'scanrook/debian/',
      'scanrook/alpine/',
      'scanrook/hello/',
    ]);
    expect(sarif.runs[1]!.results).toEqual([]); // alpine:3.10's packages are all at or past the secdb fixes
  });

  it('the limits: 30,000 results (real record ids × real packages) keep the 5,000 most severe, and say so', async () => {
    const deb = await scanSharedImage('debian-bookworm.oci.tar');
    // Real GHSA records (Maven, with their own severities) crossed with the image's real packages — a synthetic
    // volume to exercise the limits, not a claim that these packages are affected.
    const names = execFileSync(
      'python3',
      [
        '-c',
        'import zipfile,sys;print("\\n".join(sorted(n[:-5] for n in zipfile.ZipFile(sys.argv[1]).namelist() if n.endswith(".json"))))',
        sharedPath('data', 'osv', 'Maven', 'all.zip'),
      ],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n');
    const recs = osvRecordsBySeverity(names);
    const findings: Finding[] = [];
    outer: for (const rec of recs) {
      for (const p of deb.packages) {
        findings.push({
          id: rec.id,
          aliases: [],
          package: p.name,
          package_type: p.type,
          installed_version: p.version,
          fixed_version: null,
          severity: rec.severity,
          severity_source: 'osv:database_specific.severity',
          score: null,
          purl: p.purl,
          summary: rec.summary,
          references: [],
          location: p.location,
          layer: p.layer,
          suppressed: null,
        });
        if (findings.length >= 30_000) break outer;
      }
    }
    expect(findings).toHaveLength(30_000);
    const report = withFindings(deb, findings);
    const t0 = performance.now();
    const { sarif, trimmed } = renderSarif([{ report, category: 'big' }], OPTS);
    const ms = performance.now() - t0;
    assertGitHubSarif(sarif);
    expect(sarif.runs[0]!.results).toHaveLength(5000);
    expect(trimmed).toEqual([
      { run: 0, dropped: 25_000, reason: expect.stringMatching(/GitHub code scanning keeps 5000 per run/) },
    ]);
    const rank = { critical: 6, high: 5, medium: 4, unknown: 3, low: 2, negligible: 1 } as const;
    const kept = sarif.runs[0]!.results.map((r) => rank[r.properties!.severity as keyof typeof rank]);
    const keptMin = Math.min(...kept);
    const all = findings.map((f) => rank[f.severity]).sort((x, y) => y - x);
    expect(keptMin).toBe(all[4999]); // nothing dropped is more severe than what was kept
    expect(ms).toBeLessThan(30_000);
  });

  it('the 10 MB gzip limit (lowered for the test): lowest severity dropped until it fits, reported', async () => {
    const report = await debianWithFindings();
    const many: Finding[] = [];
    for (let i = 0; i < 40; i++)
      for (const f of report.findings)
        many.push({ ...f, package: `${f.package}-copy${i}`, severity: i % 2 === 0 ? 'high' : 'low' });
    const full = renderSarif([{ report: withFindings(report, many), category: 'a' }], OPTS);
    const fullSize = gzipLen(full.sarif);
    const limit = Math.floor(fullSize * 0.7);
    const cut = renderSarif([{ report: withFindings(report, many), category: 'a' }], { ...OPTS, maxGzipBytes: limit });
    expect(gzipLen(cut.sarif)).toBeLessThanOrEqual(limit);
    expect(cut.trimmed).toHaveLength(1);
    expect(cut.trimmed[0]!.reason).toMatch(/10 MB/);
    const kept = cut.sarif.runs[0]!.results.map((r) => r.properties!.severity);
    expect(cut.trimmed[0]!.dropped).toBe(many.length - kept.length);
    expect(cut.trimmed[0]!.dropped).toBeGreaterThan(0);
    // Lowest severity first: every high is still there, only lows went.
    expect(kept.filter((s) => s === 'high')).toHaveLength(many.filter((f) => f.severity === 'high').length);
    assertGitHubSarif(cut.sarif);
  });
});

function gzipLen(s: SarifLog): number {
  return execFileSync('gzip', ['-c'], { input: JSON.stringify(s) }).length;
}

function osvRecordsBySeverity(ids: string[]): { id: string; severity: Finding['severity']; summary: string | null }[] {
  // Severity and summary of each real Maven GHSA record (database_specific.severity).
  const out = execFileSync(
    'python3',
    [
      '-c',
      [
        'import zipfile,json,sys',
        'z=zipfile.ZipFile(sys.argv[1])',
        'r=[]',
        'for n in sorted(z.namelist()):',
        '  if not n.endswith(".json"): continue',
        '  d=json.loads(z.read(n)); s=(d.get("database_specific") or {}).get("severity","")',
        '  r.append([d["id"], s, d.get("summary")])',
        'print(json.dumps(r))',
      ].join('\n'),
      sharedPath('data', 'osv', 'Maven', 'all.zip'),
    ],
    { encoding: 'utf8' },
  );
  const map: Record<string, Finding['severity']> = {
    CRITICAL: 'critical',
    HIGH: 'high',
    MODERATE: 'medium',
    LOW: 'low',
  };
  const rows = JSON.parse(out) as [string, string, string | null][];
  expect(rows.map((r) => r[0]).sort()).toEqual([...ids].sort());
  return rows.map(([id, s, summary]) => ({ id, severity: map[s] ?? 'unknown', summary }));
}

describe('SARIF rules on small inputs (severity, suppressions, failures, bad input)', () => {
  const f = (over: Partial<Finding>): Finding => ({
    id: 'CVE-2024-0727',
    aliases: ['DSA-5678-1'],
    package: 'openssl',
    package_type: 'deb',
    installed_version: '3.0.11-1~deb12u2',
    fixed_version: '3.0.13-1~deb12u1',
    severity: 'high',
    severity_source: 'cvss',
    score: null,
    purl: 'pkg:deb/debian/openssl@3.0.11-1~deb12u2',
    summary:
      'Processing a maliciously formatted PKCS12 file may lead OpenSSL to crash leading to a potential Denial of Service attack',
    references: ['https://www.openssl.org/news/secadv/20240125.txt', 'javascript:alert(1) | not a link'],
    location: '/var/lib/dpkg/status',
    layer: null,
    ...over,
  });
  const minimal = (findings: Finding[], status: ScanReport['scan_status'] = 'done'): ScanReport => ({
    schema_version: '1',
    tool: { name: 'scanrook', version: '0.1.0' },
    scan_status: status,
    mode: 'light',
    target: {
      input: 'x.tar',
      kind: 'archive',
      format: null,
      refs: ['app:1'],
      image_id: null,
      manifest_digest: null,
      platform: null,
      selection: null,
      size_bytes: 0,
      created: null,
      architecture: null,
      env: [],
      labels: {},
      layers: [],
      history: [],
    },
    os: null,
    inventory_status: 'present',
    inventory_reason: null,
    reasons:
      status === 'failed'
        ? [{ code: 'archive_corrupt', stage: 'image', message: 'truncated', hint: 'Re-create the archive.' }]
        : [],
    packages: [],
    findings,
    summary: {
      packages: 0,
      findings: findings.length,
      fixable: 0,
      by_severity: { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 },
      files_read: 0,
    },
    events: [],
    vulndb: null,
    match_issues: { unparsable: [], unknown_ecosystems: [] },
    detections: [],
    yara: null,
    timings: { started_at: '', finished_at: '', total_ms: 0, stages: {} },
  });

  it('the message reads as one sentence first; security-severity from score, else the band; unknown/negligible get none', () => {
    expect(securitySeverity({ severity: 'high', score: 7.5 })).toBe('7.5');
    expect(securitySeverity({ severity: 'high', score: null })).toBe('8.0');
    expect(securitySeverity({ severity: 'critical', score: 0 })).toBe('9.5');
    expect(securitySeverity({ severity: 'medium', score: 11 })).toBe('5.5');
    expect(securitySeverity({ severity: 'low', score: null })).toBe('2.0');
    expect(securitySeverity({ severity: 'unknown', score: 9.8 })).toBeNull();
    expect(securitySeverity({ severity: 'negligible', score: null })).toBeNull();
    const { sarif } = renderSarif(
      [
        {
          report: minimal([f({ score: 7.5 }), f({ id: 'CVE-2000-1', severity: 'negligible', fixed_version: null })]),
          category: 'c',
        },
      ],
      OPTS,
    );
    assertGitHubSarif(sarif);
    const [r0, r1] = sarif.runs[0]!.results;
    expect(r0!.message.text.split('. ')[0]).toBe(
      'openssl 3.0.11-1~deb12u2 is affected by CVE-2024-0727 (high); fixed in 3.0.13-1~deb12u1',
    );
    expect(r0!.level).toBe('error');
    expect(r1!.message.text).toMatch(/\(negligible\); no fix yet\./);
    expect(r1!.level).toBe('note');
    const rule = sarif.runs[0]!.tool.driver.rules.find((r) => r.id === 'CVE-2024-0727')!;
    expect(rule.properties['security-severity']).toBe('7.5');
    expect(rule.help.markdown).toContain(
      '[https://www.openssl.org/news/secadv/20240125.txt](https://www.openssl.org/news/secadv/20240125.txt)',
    );
    expect(rule.help.markdown).toContain('javascript:alert(1) \\| not a link'); // not turned into a link, pipe escaped
    expect(rule.help.text).toContain('openssl (deb) 3.0.11-1~deb12u2: fixed in 3.0.13-1~deb12u1');
  });

  it('suppressed findings become external suppressions and are trimmed first', () => {
    const { sarif } = renderSarif(
      [
        {
          report: minimal([
            f({ suppressed: { by: '.scanrook-ignore.yaml', justification: 'not reachable: no PKCS12 input' } }),
            f({ id: 'CVE-2000-2', severity: 'low' }),
          ]),
          category: 'c',
        },
      ],
      { ...OPTS, maxResultsPerRun: 1 },
    );
    assertGitHubSarif(sarif, { maxResults: 1 });
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toEqual(['CVE-2000-2']);
    const { sarif: s2 } = renderSarif(
      [{ report: minimal([f({ suppressed: { by: 'vex.json', justification: '' } })]), category: 'c' }],
      OPTS,
    );
    expect(s2.runs[0]!.results[0]!.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'suppressed by vex.json', properties: { by: 'vex.json' } },
    ]);
    assertGitHubSarif(s2);
  });

  it('long summaries are cut to 1024 characters; tags stay ≤ 10', () => {
    const types = [
      'deb',
      'apk',
      'rpm',
      'npm',
      'pypi',
      'golang',
      'maven',
      'cargo',
      'gem',
      'composer',
      'hex',
      'pub',
    ] as const;
    const fs = types.map((t) => f({ package: `p-${t}`, package_type: t, summary: 'x'.repeat(5000) }));
    const { sarif } = renderSarif([{ report: minimal(fs), category: 'c' }], OPTS);
    assertGitHubSarif(sarif);
    const rule = sarif.runs[0]!.tool.driver.rules[0]!;
    expect(rule.shortDescription.text.length).toBe(1024);
    expect(rule.properties.tags.length).toBe(10);
  });

  it('a failed scan: a run with no results, executionSuccessful false, flagged as incomplete', () => {
    const out = renderSarif([{ report: minimal([], 'failed'), category: 'c' }], OPTS);
    assertGitHubSarif(out.sarif);
    expect(out.sarif.runs[0]!.invocations[0]).toEqual({
      executionSuccessful: false,
      toolExecutionNotifications: [
        {
          level: 'error',
          message: { text: 'archive_corrupt: truncated Re-create the archive.' },
          descriptor: { id: 'archive_corrupt' },
        },
      ],
    });
    expect(out.incomplete).toHaveLength(1);
    expect(out.incomplete[0]!.reason).toMatch(/would close open code scanning alerts/);
  });

  it('bad input is a SarifRenderError naming the problem', () => {
    const r = minimal([]);
    expect(() => renderSarif([], OPTS)).toThrow(SarifRenderError);
    expect(() =>
      renderSarif(
        [
          { report: r, category: 'a' },
          { report: r, category: 'a/' },
        ],
        OPTS,
      ),
    ).toThrow(/share the SARIF category "a"/);
    expect(() => renderSarif([{ report: r, category: ' ' }], OPTS)).toThrow(/empty SARIF category/);
    expect(() =>
      renderSarif(
        Array.from({ length: 21 }, (_, i) => ({ report: r, category: `c${i}` })),
        OPTS,
      ),
    ).toThrow(/at most 20 runs/);
  });

  it('the GitHub checker itself catches what GitHub refuses', () => {
    const { sarif } = renderSarif([{ report: minimal([f({})]), category: 'c' }], OPTS);
    const bad = JSON.parse(JSON.stringify(sarif)) as SarifLog;
    bad.runs[0]!.tool.driver.rules[0]!.properties['security-severity'] = '0.0';
    delete (bad.runs[0]!.results[0]!.locations[0]!.physicalLocation.region as unknown as Record<string, number>)
      .endColumn;
    bad.runs[0]!.results[0]!.partialFingerprints = {};
    bad.runs[0]!.tool.driver.rules[0]!.fullDescription.text = '';
    const errs = githubErrors(bad).join('\n');
    for (const want of [
      'security-severity "0.0" not a numeric string in (0, 10]',
      'fullDescription.text is required',
      'region.endColumn is required',
      'primaryLocationLineHash is required',
    ]) {
      expect(errs).toContain(want);
    }
  });
});
