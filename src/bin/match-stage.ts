/**
 * The vulnerability DB and matching stages, as src/scan/run.ts runs them for images (same events, reasons
 * and messages). Kept apart so `scanrook bin` matches exactly like an image scan; run.ts could call this too.
 */
import type { ScanJob } from '../scan/job.js';
import type { Finding, Package, ScanReport, TargetInfo, VulnDbInfo } from '../scan/report.js';
import type { ScanDeps } from '../scan/run.js';

export interface MatchStageResult {
  findings: Finding[];
  vulndb: VulnDbInfo | null;
  matchIssues: ScanReport['match_issues'];
}

export async function matchStage(
  job: ScanJob,
  packages: Package[],
  target: TargetInfo,
  deps: Pick<ScanDeps, 'ecosystemsOf' | 'vulndb' | 'match' | 'suppress' | 'clock'>,
  signal: AbortSignal,
): Promise<MatchStageResult> {
  const clock = deps.clock ?? (() => new Date());
  const out: MatchStageResult = { findings: [], vulndb: null, matchIssues: { unparsable: [], unknown_ecosystems: [] } };
  const matchable = packages.filter((p) => deps.ecosystemsOf(p).length > 0);
  const ecosystems = [...new Set(matchable.flatMap((p) => deps.ecosystemsOf(p)))].sort();
  if (ecosystems.length === 0) {
    job.skip('vulndb', packages.length ? 'no package has vulnerability data to match against (see the reasons)' : 'no packages to match');
    job.skip('match', 'nothing to match');
    return out;
  }
  job.start('vulndb', `preparing vulnerability data for ${ecosystems.join(', ')}`);
  const prepared = await deps.vulndb(ecosystems, signal);
  for (const r of prepared.reasons) {
    if (r.code === 'vulndb_unavailable') job.fail('vulndb', r.code, r.message);
    else job.addReason(r.code, r.message, 'vulndb');
  }
  if (!prepared.db) {
    if (!prepared.reasons.some((r) => r.code === 'vulndb_unavailable')) {
      job.fail('vulndb', 'vulndb_unavailable', `no vulnerability DB could be prepared (${prepared.source})`);
    }
    job.skip('match', `no vulnerability DB: ${matchable.length} packages are listed, not matched`);
    return out;
  }
  const meta = prepared.db.meta();
  out.vulndb = {
    source: prepared.source,
    built_at: meta.built_at,
    age_seconds: prepared.ageSeconds === null ? null : Math.round(prepared.ageSeconds),
    ecosystems: meta.ecosystems.filter((e) => ecosystems.some((w) => e.name === w || e.name.startsWith(w + ':') || w.startsWith(e.name + ':') || e.name === w.split(':')[0]))
      .map((e) => ({ name: e.name, records: e.records, newest_modified: e.newest_modified })),
  };
  const have = new Set(prepared.db.ecosystems());
  const missing = ecosystems.filter((e) => !have.has(e));
  const unmatched = matchable.filter((p) => deps.ecosystemsOf(p).every((e) => !have.has(e)));
  if (unmatched.length > 0) {
    job.fail('vulndb', 'vulndb_unavailable',
      `the vulnerability data (${prepared.source}) holds no records for ${missing.join(', ')}: ${unmatched.length} package(s) were not matched`);
  } else {
    job.finish('vulndb', `vulnerability data from ${prepared.source}${prepared.ageSeconds !== null ? `, ${Math.round(prepared.ageSeconds / 3600)} h old` : ''}`);
  }
  job.start('match', `matching ${matchable.length} packages`);
  const now = clock();
  const result = deps.match(matchable, prepared.db, now);
  out.findings = deps.suppress ? deps.suppress(result.findings, packages, target, now) : result.findings;
  out.matchIssues = { unparsable: result.unparsable, unknown_ecosystems: result.unknownEcosystems };
  const suppressed = out.findings.filter((f) => f.suppressed).length;
  const notes = [
    result.unparsable.length ? `${result.unparsable.length} advisory comparison(s) could not be decided (unparsable versions: see match_issues)` : '',
    suppressed ? `${suppressed} suppressed` : '',
  ].filter(Boolean).join('; ');
  job.finish('match', `${out.findings.length - suppressed} finding(s) in ${matchable.length} packages${notes ? ` — ${notes}` : ''}`);
  return out;
}
