/**
 * Enrichment on the real files of ../shared/data: the NVD API 2.0 and CVE 5 records of ../shared/data/nvd give,
 * per CVE, the severity its expectation table (expected-severity.json, derived by make_table.py from the same
 * files, independently of this code) says; the full EPSS day and the KEV catalogue are read whole, and a DB
 * built from the shared Go data with all three carries them for the Go stdlib CVEs; the stdlib findings of
 * scratch-go (deep scan, and `scanrook bin`'s engine on its binary) take NVD severities and the default
 * policy fails the job, where the same scan without enrichment passes or warns.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanBinary } from '../../src/bin/scan-binary.js';
import { ratedSeverity } from '../../src/match/enrich.js';
import { DEFAULT_POLICY, reportVerdict } from '../../src/policy/verdict.js';
import { renderSarif } from '../../src/report/sarif/render.js';
import { runScan } from '../../src/scan/run.js';
import { buildDbFromFolder } from '../../src/vulndb/build.js';
import { EnrichmentData } from '../../src/vulndb/enrich/data.js';
import { readEpssFile } from '../../src/vulndb/enrich/epss.js';
import { readEnrichment } from '../../src/vulndb/enrich/index.js';
import { readKevFile } from '../../src/vulndb/enrich/kev.js';
import { readNvdFolder } from '../../src/vulndb/enrich/nvd.js';
import { openDb } from '../../src/vulndb/store-reader.js';
import { writeDbFile } from '../../src/vulndb/store-writer.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { dbPathScanDeps } from '../helpers/scan-deps.js';
import { haveShared, sharedPath } from '../helpers/shared.js';

const NVD = sharedPath('data', 'nvd');
const EPSS = sharedPath('data', 'kev-epss', 'epss_scores-2026-01-30.csv.gz');
const KEV = sharedPath('data', 'kev-epss', 'known_exploited_vulnerabilities.json');

interface Expected {
  expected: { source: string; score: number; severity: string; version: string } | null;
}

const tmp = mkdtempSync(join(tmpdir(), 'scanrook-enrich-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.runIf(haveShared())('NVD and CVE 5 ratings against expected-severity.json', () => {
  it('every CVE of the table gets the expected source, score and severity (or none)', async () => {
    const table = JSON.parse(readFileSync(join(NVD, 'expected-severity.json'), 'utf8')) as Record<string, Expected>;
    const data = new EnrichmentData();
    const src = await readNvdFolder(NVD, data);
    expect(src.records).toBe(106 + 27);
    expect(src.skipped).toBe(0);
    expect(Object.keys(table)).toHaveLength(109);
    const got: Record<string, unknown> = {};
    const want: Record<string, unknown> = {};
    for (const [cve, row] of Object.entries(table)) {
      const e = data.get(cve);
      const r = e ? ratedSeverity(cve, e) : null;
      got[cve] = r ? { source: r.source, score: r.score, severity: r.severity } : null;
      const x = row.expected;
      const source =
        x === null
          ? null
          : x.source.startsWith('secondary:')
            ? `NVD secondary (${x.source.slice('secondary:'.length)})`
            : x.source;
      want[cve] = x
        ? {
            source: `${source} CVSS_V${x.version === '2.0' ? '2' : x.version} for ${cve}`,
            score: x.score,
            severity: x.severity.toLowerCase(),
          }
        : null;
    }
    expect(got).toEqual(want);
  });
});

describe.runIf(haveShared())('the real EPSS day and KEV catalogue', () => {
  it('EPSS: every row of the 313,089 read, with its date and model; scientific notation and 1.0 read', async () => {
    const data = new EnrichmentData();
    const src = await readEpssFile(EPSS, data);
    // The oracle: the decompressed file's own lines.
    const lines = gunzipSync(readFileSync(EPSS)).toString('latin1').split('\n').filter(Boolean);
    expect(lines[0]).toBe('#model_version:v2025.03.14,score_date:2026-01-30T12:55:00Z');
    expect(src.records).toBe(lines.length - 2);
    expect(src.records).toBe(313_089);
    expect(src.skipped).toBe(0);
    expect(src.version).toBe('v2025.03.14');
    expect(src.date).toBe('2026-01-30');
    expect(data.epss.get('CVE-1999-1170')).toEqual({ score: 2e-5, percentile: 0.00039, date: '2026-01-30' });
    expect(data.epss.get('CVE-2024-27198')).toEqual({ score: 0.94579, percentile: 1, date: '2026-01-30' });
    expect(data.epss.get('CVE-2019-14960')).toEqual({ score: 1e-5, percentile: 8e-5, date: '2026-01-30' });
    for (const l of lines.slice(2, 2000)) {
      const [id, s, p] = l.split(',');
      expect(data.epss.get(id!)?.score).toBe(Number(s));
      expect(data.epss.get(id!)?.percentile).toBe(Number(p));
    }
  });

  it('KEV: all 1,404 entries, each with an EPSS row in the aligned day', async () => {
    const data = new EnrichmentData();
    const src = await readKevFile(KEV, data);
    const doc = JSON.parse(readFileSync(KEV, 'utf8')) as {
      count: number;
      vulnerabilities: { cveID: string; dateAdded: string; dueDate: string; knownRansomwareCampaignUse: string }[];
    };
    expect(src.records).toBe(doc.count);
    expect(src.version).toBe('2025.08.25');
    for (const v of doc.vulnerabilities) {
      expect(data.kev.get(v.cveID)).toEqual({
        date_added: v.dateAdded,
        due_date: v.dueDate,
        ransomware: v.knownRansomwareCampaignUse === 'Known' ? 'known' : 'unknown',
      });
    }
    const both = await readEnrichment({
      epss: EPSS,
      kev: sharedPath('data', 'kev-epss', 'known_exploited_vulnerabilities-2026.01.29.json'),
    });
    expect([...both!.kev.keys()].every((k) => both!.epss.has(k))).toBe(true);
  });
});

describe.runIf(haveShared())('a DB built from the shared Go data with --nvd, --epss and --kev', () => {
  let dbFile: string;
  let plainFile: string;
  beforeAll(async () => {
    const enrichment = await readEnrichment({ nvd: NVD, epss: EPSS, kev: KEV });
    dbFile = join(tmp, 'go-enriched.sqlite');
    plainFile = join(tmp, 'go-plain.sqlite');
    await writeDbFile(dbFile, await buildDbFromFolder(sharedPath('data', 'osv', 'Go'), { enrichment }));
    await writeDbFile(plainFile, await buildDbFromFolder(sharedPath('data', 'osv', 'Go')));
  }, 120_000);

  it('holds enrichment only for CVE ids its records name, and says what it was built from', async () => {
    const db = await openDb(new Uint8Array(readFileSync(dbFile)));
    const info = db.enrichmentInfo()!;
    expect(info.cves_enriched).toBeGreaterThan(80);
    expect(info.cves_enriched).toBeLessThan(313_089);
    expect((info.sources as { kind: string }[]).map((s) => s.kind)).toEqual(['nvd', 'epss', 'kev']);
    const e = db.enrichment(['CVE-2023-24539', 'CVE-2021-44228', 'CVE-1999-0001']);
    expect(e.get('CVE-2023-24539')?.cvss?.[0]).toMatchObject({ source: 'NVD', version: '3.1' });
    expect(e.get('CVE-2023-24539')?.epss?.date).toBe('2026-01-30');
    expect(e.has('CVE-1999-0001')).toBe(false); // no Go record names it
    db.close();
    const plain = await openDb(new Uint8Array(readFileSync(plainFile)));
    expect(plain.enrichment(['CVE-2023-24539']).size).toBe(0);
    expect(plain.enrichmentInfo()).toBeNull();
    plain.close();
  });

  it('scratch-go (deep) and its binary: stdlib findings take NVD severities and the default policy fails', async () => {
    const table = JSON.parse(readFileSync(join(NVD, 'expected-severity.json'), 'utf8')) as Record<string, Expected>;
    const image = { kind: 'path' as const, path: sharedPath('images', 'scratch-go.docker.tar') };
    const opts = { mode: 'deep' as const, platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 0 };
    const before = await runScan(image, opts, dbPathScanDeps(plainFile));
    const after = await runScan(image, opts, dbPathScanDeps(dbFile));
    assertValidReport(after);
    const stdlib = after.findings.filter((f) => f.package === 'stdlib');
    expect(stdlib).toHaveLength(80);
    expect(before.findings.filter((f) => f.package === 'stdlib').every((f) => f.severity === 'unknown')).toBe(true);
    for (const f of stdlib) {
      const x = table[f.id]?.expected ?? null;
      expect({ id: f.id, severity: f.severity, score: f.score }).toEqual({
        id: f.id,
        severity: x ? x.severity.toLowerCase() : 'unknown',
        score: x ? x.score : null,
      });
      if (x) expect(f.severity_source).toMatch(new RegExp(`^\\S.* CVSS_V${x.version} for ${f.id}$`));
      expect(f.epss?.date ?? '2026-01-30').toBe('2026-01-30');
    }
    expect(stdlib.filter((f) => f.epss).length).toBeGreaterThan(40);
    // SARIF carries them as result properties (absent when unknown).
    const sarif = renderSarif([{ report: after, category: 'scanrook/go' }], {
      toolVersion: '0',
      informationUri: 'https://example.invalid',
    }).sarif as { runs: { results: { ruleId: string; properties: Record<string, unknown> }[] }[] };
    const withEpss = stdlib.find((f) => f.epss)!;
    const props = sarif.runs[0]!.results.find((r) => r.ruleId === withEpss.id)!.properties;
    expect(props).toMatchObject({ epss_score: withEpss.epss!.score, severity_source: withEpss.severity_source });
    const noEpss = stdlib.find((f) => !f.epss);
    if (noEpss)
      expect(sarif.runs[0]!.results.find((r) => r.ruleId === noEpss.id)!.properties).not.toHaveProperty('epss_score');
    expect(reportVerdict(before, DEFAULT_POLICY).verdict).not.toBe('fail');
    const v = reportVerdict(after, DEFAULT_POLICY);
    expect(v.verdict).toBe('fail');
    expect(v.rule).toBe('severity-threshold');
    expect(v.gating).toBe(stdlib.filter((f) => ['high', 'critical'].includes(f.severity) && f.fixed_version).length);

    // `scanrook bin` on the binary: the same findings, severities included.
    const dir = join(tmp, 'scratch-go');
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-xf', image.path, '-C', dir]);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { Layers: string[] }[];
    execFileSync('tar', ['-xf', join(dir, manifest[0]!.Layers[0]!), '-C', dir, 'hello']);
    const bin = await scanBinary(
      join(dir, 'hello'),
      { mode: 'light', maxPackages: 0, timeout: 0 },
      dbPathScanDeps(dbFile),
    );
    const key = (f: (typeof stdlib)[number]) =>
      `${f.id} ${f.package} ${f.severity} ${f.severity_source} ${f.epss?.score}`;
    expect(bin.findings.map(key).sort()).toEqual(after.findings.map(key).sort());
    expect(reportVerdict(bin, DEFAULT_POLICY).verdict).toBe('fail');
  }, 120_000);
});
