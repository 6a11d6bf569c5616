/**
 * Findings and the DB's enrichment, through a real SQLite DB (DbWriter + setEnrichment, openDb): a finding
 * whose records carry no rating takes the first usable rating of its CVEs (NVD before CNA before CISA-ADP;
 * a vector that does not score falls to the stated score, then to the next rating); a finding with its own
 * rating keeps it; epss is the highest among its CVE ids, kev the first; both absent when unknown. A DB
 * without enrichment (an older build) gives the findings unchanged.
 */
import { describe, expect, it } from 'vitest';
import { matchPackages } from '../../src/match/match.js';
import { EnrichmentData } from '../../src/vulndb/enrich/data.js';
import { openDb } from '../../src/vulndb/store-reader.js';
import { DbWriter } from '../../src/vulndb/store-writer.js';
import type { OsvRecord } from '../../src/vulndb/types.js';
import { pkg } from './helpers.js';

const V31_HIGH = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H'; // 7.5
const V31_CRIT = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'; // 9.8
const V31_MED = 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N'; // 4.8

function rec(id: string, aliases: string[], extra: Partial<OsvRecord> = {}): OsvRecord {
  return {
    id,
    modified: '2024-01-01T00:00:00Z',
    aliases,
    affected: [
      {
        package: { ecosystem: 'Go', name: `example.com/${id.toLowerCase()}` },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.0' }] }],
      },
    ],
    ...extra,
  };
}

const RECORDS = [
  rec('GO-1', ['CVE-2024-0001']), // NVD primary (newest version) wins over CNA (even v4.0) and CISA-ADP
  rec('GO-2', ['CVE-2024-0002']), // no NVD: CNA
  rec('GO-3', ['CVE-2024-0003']), // NVD vector unscorable, stated score used
  rec('GO-4', ['CVE-2024-0004', 'CVE-2024-0005']), // first CVE unrated, second rated; EPSS highest of the two
  rec('GO-5', ['CVE-2024-0006'], { severity: [{ type: 'CVSS_V3', score: V31_MED }] }), // own rating kept
  rec('GO-6', ['CVE-2024-0007']), // nothing known
];

async function db(withEnrichment: boolean) {
  const w = await DbWriter.create({ source: 'test' });
  for (const r of RECORDS) w.add(r);
  if (withEnrichment) {
    const e = new EnrichmentData();
    e.addRating('CVE-2024-0001', 'cna', {
      source: 'CNA',
      version: '4.0',
      vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:L/SC:N/SI:N/SA:N',
      score: 6.9,
    });
    e.addRating('CVE-2024-0001', 'cisa5', { source: 'CISA-ADP', version: '3.1', vector: V31_HIGH, score: 7.5 });
    e.addRating('CVE-2024-0001', 'nvd', {
      source: 'NVD',
      version: '2.0',
      vector: 'AV:N/AC:L/Au:N/C:N/I:N/A:P',
      score: 5,
    });
    e.addRating('CVE-2024-0001', 'nvd', { source: 'NVD', version: '3.1', vector: V31_CRIT, score: 9.8 });
    e.addRating('CVE-2024-0002', 'cisaNvd', { source: 'CISA-ADP', version: '3.1', vector: V31_CRIT, score: 9.8 });
    e.addRating('CVE-2024-0002', 'cna', { source: 'CNA', version: '3.1', vector: V31_MED, score: 4.8 });
    e.addRating('CVE-2024-0003', 'nvd', { source: 'NVD', version: '3.1', vector: 'CVSS:3.1/AV:N', score: 7.2 });
    e.addRating('CVE-2024-0005', 'nvd', { source: 'NVD', version: '3.1', vector: V31_HIGH, score: 7.5 });
    e.addRating('CVE-2024-0006', 'nvd', { source: 'NVD', version: '3.1', vector: V31_CRIT, score: 9.8 });
    e.epss.set('CVE-2024-0004', { score: 0.9, percentile: 0.99, date: '2026-01-30' });
    e.epss.set('CVE-2024-0005', { score: 0.1, percentile: 0.5, date: '2026-01-30' });
    e.epss.set('CVE-2099-9999', { score: 0.5, percentile: 0.5, date: '2026-01-30' }); // named by no record
    e.kev.set('CVE-2024-0005', { date_added: '2025-01-01', due_date: '2025-01-22', ransomware: 'known' });
    w.setEnrichment(e);
  }
  return openDb(w.finish());
}

const PACKAGES = RECORDS.map((r) => pkg({ name: r.affected![0]!.package!.name, version: '1.0.0', type: 'golang' }));

describe('findings and enrichment', () => {
  it('unrated findings take the first usable rating of their CVEs; epss and kev join on every CVE id', async () => {
    const d = await db(true);
    const byId = Object.fromEntries(matchPackages(PACKAGES, d).findings.map((f) => [f.id, f]));
    const sev = (id: string) => [byId[id]!.severity, byId[id]!.score, byId[id]!.severity_source];
    expect(sev('CVE-2024-0001')).toEqual(['critical', 9.8, 'NVD CVSS_V3.1 for CVE-2024-0001']);
    expect(sev('CVE-2024-0002')).toEqual(['medium', 4.8, 'CNA CVSS_V3.1 for CVE-2024-0002']);
    expect(sev('CVE-2024-0003')).toEqual(['high', 7.2, 'NVD CVSS_V3.1 for CVE-2024-0003 (stated score)']);
    expect(sev('CVE-2024-0004')).toEqual(['high', 7.5, 'NVD CVSS_V3.1 for CVE-2024-0005']);
    expect(sev('CVE-2024-0006')).toEqual(['medium', 4.8, 'CVSS_V3.1 vector from GO-5']);
    expect(sev('CVE-2024-0007')).toEqual(['unknown', null, null]);
    expect(byId['CVE-2024-0004']!.epss).toEqual({ score: 0.9, percentile: 0.99, date: '2026-01-30' });
    expect(byId['CVE-2024-0004']!.kev).toEqual({
      date_added: '2025-01-01',
      due_date: '2025-01-22',
      ransomware: 'known',
    });
    for (const id of ['CVE-2024-0001', 'CVE-2024-0007']) {
      expect('epss' in byId[id]!).toBe(false);
      expect('kev' in byId[id]!).toBe(false);
    }
    // Only CVEs the records name are stored.
    expect(d.enrichment(['CVE-2099-9999']).size).toBe(0);
    // Sorted by the new severities.
    expect(matchPackages(PACKAGES, d).findings.map((f) => f.severity)).toEqual([
      'critical',
      'high',
      'high',
      'medium',
      'medium',
      'unknown',
    ]);
    d.close();
  });

  it('a DB without enrichment leaves the findings as the records rate them', async () => {
    const d = await db(false);
    const f = matchPackages(PACKAGES, d).findings;
    expect(f.filter((x) => x.severity === 'unknown')).toHaveLength(5);
    expect(f.some((x) => x.epss || x.kev)).toBe(false);
    d.close();
  });

  it('a refresh of an enriched DB (no new enrichment) keeps its enrichment', async () => {
    const first = await db(true);
    first.close();
    const w = await DbWriter.create({ source: 'test' });
    for (const r of RECORDS) w.add(r);
    const e = new EnrichmentData();
    e.kev.set('CVE-2024-0007', { date_added: '2025-01-01', due_date: null, ransomware: 'unknown' });
    w.setEnrichment(e);
    const again = await DbWriter.open(w.finish(), { source: 'refresh' });
    again.add({ ...RECORDS[5]!, modified: '2025-01-01T00:00:00Z' });
    const d = await openDb(again.finish());
    expect(d.enrichment(['CVE-2024-0007']).get('CVE-2024-0007')?.kev?.date_added).toBe('2025-01-01');
    expect(d.enrichmentInfo()).not.toBeNull();
    d.close();
  });
});
