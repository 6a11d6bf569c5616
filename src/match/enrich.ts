/**
 * Joining the DB's enrichment (NVD / CVE 5 CVSS ratings, EPSS, CISA KEV: src/vulndb/enrich/) into findings, on
 * the finding's CVE ids: its headline id first, then its aliases in order (distro-prefixed ids such as
 * `DEBIAN-CVE-…` stand for the plain CVE).
 *
 * - Severity: only for a finding whose records carry no usable rating (severity `unknown`, severity_source
 *   null). The first CVE with a usable rating decides; its ratings are tried in the DB's order of preference
 *   (NVD primary, newest CVSS version first; the CVE record's CNA; CISA-ADP; other NVD secondary sources).
 *   A rating's vector is scored here (severity.ts, as for OSV's own vectors); a vector that does not score
 *   falls back to the stated base score; neither: the next rating. `severity_source` says which, e.g.
 *   "NVD CVSS_V3.1 for CVE-2023-24538".
 * - `epss`: the highest EPSS score among the finding's CVEs (what gating on it must see); `kev`: the first of
 *   its CVEs in the KEV catalogue. Both are absent when unknown, never zero.
 */
import type { Finding } from '../model/report.js';
import type { CveEnrichment, VulnDb } from '../vulndb/types.js';
import { cvssBand, scoreCvss } from './severity.js';

const CVE = /^(?:[A-Z][A-Z0-9]*-)?(CVE-\d{4}-\d{4,19})$/i;

/** The CVE ids a finding stands for, headline first, each once, upper case. */
export function findingCves(f: Pick<Finding, 'id' | 'aliases'>): string[] {
  const out: string[] = [];
  for (const id of [f.id, ...f.aliases]) {
    const m = CVE.exec(id);
    if (!m) continue;
    const c = m[1]!.toUpperCase();
    if (!out.includes(c)) out.push(c);
  }
  return out;
}

/** The severity a CVE's ratings give, or null when none is usable. */
export function ratedSeverity(
  cve: string,
  e: CveEnrichment,
): { severity: Finding['severity']; score: number; source: string } | null {
  for (const r of e.cvss ?? []) {
    const label = `${r.source} CVSS_V${r.version === '2.0' ? '2' : r.version} for ${cve}`;
    const scored = scoreCvss(r.vector);
    if (scored) return { severity: scored.severity, score: scored.score, source: label };
    if (typeof r.score === 'number' && Number.isFinite(r.score) && r.score >= 0 && r.score <= 10)
      return { severity: cvssBand(r.version, r.score), score: r.score, source: `${label} (stated score)` };
  }
  return null;
}

/** Adds enrichment to the findings, in place. A DB without enrichment changes nothing. */
export function enrichFindings(findings: Finding[], db: VulnDb): void {
  if (!db.enrichment || !findings.length) return;
  const cvesOf = findings.map(findingCves);
  const all = [...new Set(cvesOf.flat())];
  if (!all.length) return;
  const known = db.enrichment(all);
  if (!known.size) return;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const cves = cvesOf[i]!;
    if (f.severity === 'unknown' && f.severity_source === null) {
      for (const c of cves) {
        const e = known.get(c);
        const r = e ? ratedSeverity(c, e) : null;
        if (r) {
          f.severity = r.severity;
          f.score = r.score;
          f.severity_source = r.source;
          break;
        }
      }
    }
    let epss: CveEnrichment['epss'];
    let kev: CveEnrichment['kev'];
    for (const c of cves) {
      const e = known.get(c);
      if (e?.epss && (!epss || e.epss.score > epss.score)) epss = e.epss;
      if (e?.kev && !kev) kev = e.kev;
    }
    if (epss) f.epss = { score: epss.score, percentile: epss.percentile, date: epss.date };
    if (kev) f.kev = { date_added: kev.date_added, due_date: kev.due_date, ransomware: kev.ransomware };
  }
}
