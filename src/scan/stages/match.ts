/**
 * The vulnerability DB and matching stages, shared by image scans (src/scan/run.ts) and `scanrook bin`
 * (src/bin/scan-binary.ts) so both prepare, match and report exactly alike — time limit included.
 */
import type { ReasonCode } from '../../model/reasons.js';
import type { NotMatched, Package } from '../../model/report.js';
import type { FrameOptions } from '../frame.js';
import type { ScanJob } from '../job.js';
import type { ScanDeps } from '../ports.js';
import type { MatchCoverage, ScanState, StageContext } from '../state.js';

/** The deps the match stage reads. */
export type MatchDeps = Pick<ScanDeps, 'ecosystemsOf' | 'vulndb' | 'match' | 'suppress'>;

/**
 * What was matched and what not (summary.matching, spec §6: unmatched is never "0 vulnerabilities"): `unmatched`
 * packages by their first ecosystem under `reason`, packages without data (unsupported_os), the package limit.
 */
function coverageOf(
  job: ScanJob,
  deps: MatchDeps,
  packages: readonly Package[],
  matched: readonly string[],
  unmatched: readonly Package[],
  reason: ReasonCode,
): MatchCoverage {
  const notMatched: NotMatched[] = [];
  const group = (pkgs: readonly Package[], code: ReasonCode, eco: (p: Package) => string | null) => {
    const counts = new Map<string | null, number>();
    for (const p of pkgs) counts.set(eco(p), (counts.get(eco(p)) ?? 0) + 1);
    for (const [ecosystem, n] of counts) notMatched.push({ ecosystem, packages: n, reason: code });
  };
  group(unmatched, reason, (p) => deps.ecosystemsOf(p)[0] ?? p.ecosystem);
  if (job.hasReason('unsupported_os'))
    group(
      packages.filter(
        (p) => (p.type === 'deb' || p.type === 'apk' || p.type === 'rpm') && deps.ecosystemsOf(p).length === 0,
      ),
      'unsupported_os',
      (p) => p.ecosystem,
    );
  if (job.hasReason('package_collection_limit_exceeded'))
    notMatched.push({ ecosystem: null, packages: null, reason: 'package_collection_limit_exceeded' });
  if (packages.length === 0) notMatched.push({ ecosystem: null, packages: 0, reason: 'no_packages_detected' });
  return { matched: [...matched].sort(), notMatched };
}

export async function matchStage<S extends ScanState>(
  ctx: StageContext<unknown, FrameOptions, MatchDeps>,
  state: S,
): Promise<S> {
  const { job, deps, clock } = ctx;
  const { packages, target } = state;
  const timeoutSeconds = ctx.opts.timeout;
  // ---- vulnerability DB
  if (ctx.timedOut()) {
    job.skip('vulndb', `the ${timeoutSeconds}s time limit was reached before the vulnerability DB stage`);
    job.skip('match', `the time limit was reached: ${packages.length} packages are listed, not matched`);
    // Unmatched is never "no vulnerabilities": the limit is a reason even when it passed between stages
    // (during deep mode's YARA analysis, say), not only when a stage saw it.
    if (!job.hasReason('collection_time_limit_exceeded')) {
      job.addReason(
        'collection_time_limit_exceeded',
        `the scan hit its ${timeoutSeconds}s time limit before the vulnerability DB stage: ${packages.length} packages are listed, not matched`,
        'scan',
      );
    }
    const waiting = packages.filter((p) => deps.ecosystemsOf(p).length > 0);
    return {
      ...state,
      matchCoverage: coverageOf(job, deps, packages, [], waiting, 'collection_time_limit_exceeded'),
    };
  }
  const matchable = packages.filter((p) => deps.ecosystemsOf(p).length > 0);
  const ecosystems = [...new Set(matchable.flatMap((p) => deps.ecosystemsOf(p)))].sort();
  if (ecosystems.length === 0) {
    job.skip(
      'vulndb',
      packages.length ? 'no package has vulnerability data to match against (see the reasons)' : 'no packages to match',
    );
    job.skip('match', 'nothing to match');
    return { ...state, matchCoverage: coverageOf(job, deps, packages, [], [], 'no_packages_detected') };
  }
  job.start('vulndb', `preparing vulnerability data for ${ecosystems.join(', ')}`);
  const prepared = await deps.vulndb(ecosystems, ctx.signal);
  if (ctx.timedOut()) {
    // The limit stopped (or came right after) the DB stage: what prepare reports (a cancelled download)
    // is a consequence, kept as a reason; matching does not start.
    const why = prepared.reasons.map((r) => r.message).join('; ');
    job.fail(
      'vulndb',
      'collection_time_limit_exceeded',
      `the scan hit its ${timeoutSeconds}s time limit while preparing the vulnerability DB${why ? ` (${why})` : ''}`,
    );
    for (const r of prepared.reasons) job.addReason(r.code, r.message, 'vulndb');
    if (!prepared.db && !prepared.reasons.some((r) => r.code === 'vulndb_unavailable')) {
      job.addReason(
        'vulndb_unavailable',
        `no vulnerability DB could be prepared before the time limit (${prepared.source})`,
        'vulndb',
      );
    }
    job.skip('match', `the time limit was reached: ${matchable.length} packages are listed, not matched`);
    return {
      ...state,
      matchCoverage: coverageOf(job, deps, packages, [], matchable, 'collection_time_limit_exceeded'),
    };
  }
  for (const r of prepared.reasons) {
    if (r.code === 'vulndb_unavailable') job.fail('vulndb', r.code, r.message);
    else job.addReason(r.code, r.message, 'vulndb');
  }
  if (!prepared.db) {
    if (!prepared.reasons.some((r) => r.code === 'vulndb_unavailable')) {
      job.fail('vulndb', 'vulndb_unavailable', `no vulnerability DB could be prepared (${prepared.source})`);
    }
    job.skip('match', `no vulnerability DB: ${matchable.length} packages are listed, not matched`);
    return { ...state, matchCoverage: coverageOf(job, deps, packages, [], matchable, 'vulndb_unavailable') };
  }
  const meta = prepared.db.meta();
  const vulndb = {
    source: prepared.source,
    built_at: meta.built_at,
    age_seconds: prepared.ageSeconds === null ? null : Math.round(prepared.ageSeconds),
    ecosystems: meta.ecosystems
      .filter((e) =>
        ecosystems.some(
          (w) => e.name === w || e.name.startsWith(w + ':') || w.startsWith(e.name + ':') || e.name === w.split(':')[0],
        ),
      )
      .map((e) => ({ name: e.name, records: e.records, newest_modified: e.newest_modified })),
  };
  // An ecosystem the data holds no record for is not "no vulnerabilities": say which packages went unmatched.
  const have = new Set(prepared.db.ecosystems());
  const missing = ecosystems.filter((e) => !have.has(e));
  const unmatched = matchable.filter((p) => deps.ecosystemsOf(p).every((e) => !have.has(e)));
  if (unmatched.length > 0) {
    job.fail(
      'vulndb',
      'vulndb_unavailable',
      `the vulnerability data (${prepared.source}) holds no records for ${missing.join(', ')}: ${unmatched.length} package(s) were not matched`,
    );
  } else {
    job.finish(
      'vulndb',
      `vulnerability data from ${prepared.source}${prepared.ageSeconds !== null ? `, ${Math.round(prepared.ageSeconds / 3600)} h old` : ''}`,
    );
  }

  // ---- matching
  job.start('match', `matching ${matchable.length} packages`);
  const now = clock();
  const result = deps.match(matchable, prepared.db, now);
  const findings = deps.suppress ? deps.suppress(result.findings, packages, target, now) : result.findings;
  const matchIssues = { unparsable: result.unparsable, unknown_ecosystems: result.unknownEcosystems };
  const suppressed = findings.filter((f) => f.suppressed).length;
  const notes = [
    result.unparsable.length
      ? `${result.unparsable.length} advisory comparison(s) could not be decided (unparsable versions: see match_issues)`
      : '',
    suppressed ? `${suppressed} suppressed` : '',
  ]
    .filter(Boolean)
    .join('; ');
  job.finish(
    'match',
    `${findings.length - suppressed} finding(s) in ${matchable.length} packages${notes ? ` — ${notes}` : ''}`,
  );
  const matchCoverage = coverageOf(
    job,
    deps,
    packages,
    ecosystems.filter((e) => have.has(e)),
    unmatched,
    'vulndb_unavailable',
  );
  return { ...state, findings, vulndb, matchIssues, matchCoverage };
}
