/**
 * ScanRook reports → one SARIF 2.1.0 log GitHub code scanning accepts: one run per image (its own
 * `automationDetails.id` = `<category>/`, so uploads of different images never overwrite each other), a rule
 * per vulnerability, a result per (vulnerability, package). GitHub's limits are kept here, not left to the
 * server: ≤ 20 runs, ≤ 5,000 results per run (GitHub keeps only 5,000 of up to 25,000), ≤ 10 tags per rule and
 * ≤ 10 MB gzipped; what is trimmed (lowest severity first, suppressed before anything) is returned for the caller
 * to tell the user.
 */
import { gzipSync } from 'node:zlib';
import type { ImageDockerfile } from '../../dockerfile/image.js';
import type { Detection } from '../../model/detection.js';
import type { ScanReport } from '../../model/report.js';
import { findingCounts, matchingOf } from '../counts.js';
import { buildDetectionResult, buildDetectionRule, detectionRuleId, uniqueDetections } from './detections.js';
import type { Candidate, LocationContext } from './results.js';
import { buildResult, candidates, compareCandidates } from './results.js';
import { buildRule } from './rules.js';
import type { SarifLog, SarifNotification, SarifRun } from './types.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const MAX_RUNS = 20;
/** GitHub rejects a run above 25,000 results and keeps the top 5,000: we keep 5,000 ourselves, chosen by severity. */
export const MAX_RESULTS_PER_RUN = 5000;
export const MAX_RULES_PER_RUN = 25000;
/** GitHub rejects a gzipped SARIF file above 10 MB; stay a little under. */
export const MAX_GZIP_BYTES = 10 * 1000 * 1000 - 64 * 1024;

export interface SarifInput {
  report: ScanReport;
  /** The image's category (e.g. `scanrook/app`): distinct per image; becomes `automationDetails.id` `<category>/`. */
  category: string;
  /** The Dockerfile the image was built from (`path` relative to the repository root) and its layers mapped to its lines. */
  dockerfile?: ImageDockerfile | null;
}

export interface SarifOptions {
  toolVersion: string;
  /** The tool's home page (the action's repository URL); left out when not given. */
  informationUri?: string;
  /** Results kept per run (default 5,000; lower only for tests or smaller uploads). */
  maxResultsPerRun?: number;
  /** Gzipped size ceiling in bytes (default just under GitHub's 10 MB). */
  maxGzipBytes?: number;
}

export interface Trimmed {
  /** Index of the run in `sarif.runs`. */
  run: number;
  dropped: number;
  reason: string;
}

export interface IncompleteRun {
  run: number;
  category: string;
  status: ScanReport['scan_status'];
  /** Why uploading this run would mislead: code scanning closes every alert a run no longer reports. */
  reason: string;
}

export interface SarifRenderResult {
  sarif: SarifLog;
  trimmed: Trimmed[];
  /** Runs of scans that did not finish cleanly: their results are incomplete (see IncompleteRun.reason). */
  incomplete: IncompleteRun[];
}

export class SarifRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SarifRenderError';
  }
}

export function normalizeCategory(category: string): string {
  return category.trim().replace(/\/+$/, '');
}

interface RunPlan {
  input: SarifInput;
  category: string;
  ctx: LocationContext;
  all: Candidate[];
  kept: number;
  /** YARA detections (deep mode), one per (rule, path): always kept, they count against the run's result cap. */
  detections: Detection[];
}

export function renderSarif(reports: SarifInput[], opts: SarifOptions): SarifRenderResult {
  if (reports.length === 0) throw new SarifRenderError('no report to render: SARIF needs at least one image');
  if (reports.length > MAX_RUNS) {
    throw new SarifRenderError(
      `${reports.length} images in one SARIF file: GitHub accepts at most ${MAX_RUNS} runs per file; split them into several uploads`,
    );
  }
  const seen = new Map<string, number>();
  const plans: RunPlan[] = reports.map((input, i) => {
    const category = normalizeCategory(input.category);
    if (category === '')
      throw new SarifRenderError(`image ${i + 1} (${input.report.target.input}) has an empty SARIF category`);
    const prev = seen.get(category);
    if (prev !== undefined) {
      throw new SarifRenderError(
        `images ${prev + 1} and ${i + 1} share the SARIF category "${category}": give each image its own category, or the second upload overwrites the first`,
      );
    }
    seen.set(category, i);
    const all = candidates(input.report.findings);
    const max = opts.maxResultsPerRun ?? MAX_RESULTS_PER_RUN;
    const detections = uniqueDetections(input.report.detections ?? []).slice(0, max);
    return {
      input,
      category,
      all,
      detections,
      kept: Math.min(all.length, Math.max(0, max - detections.length)),
      ctx: {
        report: input.report,
        category,
        dockerfilePath: input.dockerfile ? input.dockerfile.path : null,
        mapping: input.dockerfile ? input.dockerfile.mapping : null,
      },
    };
  });

  const trimmed: Trimmed[] = [];
  plans.forEach((p, run) => {
    if (p.kept < p.all.length) {
      trimmed.push({
        run,
        dropped: p.all.length - p.kept,
        reason: `${p.all.length} results for ${p.category}${p.detections.length ? ` besides ${p.detections.length} YARA detection(s)` : ''}: GitHub code scanning keeps ${p.kept + p.detections.length} per run; the ${p.all.length - p.kept} lowest-severity results were left out of the SARIF (they stay in the JSON report)`,
      });
    }
  });

  const maxGzip = opts.maxGzipBytes ?? MAX_GZIP_BYTES;
  let sarif = assemble(plans, opts);
  let size = gzipSize(sarif);
  const sizeDropped = plans.map(() => 0);
  for (let round = 0; size > maxGzip && round < 30; round++) {
    const total = plans.reduce((n, p) => n + p.kept, 0);
    if (total === 0) break;
    // Drop the lowest-ranked results over all runs, in proportion to how far over the limit we are.
    let drop = Math.max(1, Math.ceil(total * (1 - (maxGzip / size) * 0.95)));
    const pool = plans.flatMap((p, run) => p.all.slice(0, p.kept).map((c) => ({ c, run })));
    pool.sort((a, b) => compareCandidates(a.c, b.c));
    for (let k = pool.length - 1; k >= 0 && drop > 0; k--, drop--) {
      const r = pool[k]!.run;
      plans[r]!.kept--;
      sizeDropped[r]!++;
    }
    sarif = assemble(plans, opts);
    size = gzipSize(sarif);
  }
  if (size > maxGzip) {
    throw new SarifRenderError(
      `the SARIF file is ${size} bytes gzipped even without results; GitHub accepts at most ${maxGzip}`,
    );
  }
  sizeDropped.forEach((n, run) => {
    if (n > 0) {
      trimmed.push({
        run,
        dropped: n,
        reason: `the SARIF file would exceed GitHub's 10 MB (gzipped) limit: ${n} lowest-severity results of ${plans[run]!.category} were left out (they stay in the JSON report)`,
      });
    }
  });

  const incomplete: IncompleteRun[] = [];
  plans.forEach((p, run) => {
    const r = p.input.report;
    if (r.scan_status !== 'done') {
      incomplete.push({
        run,
        category: p.category,
        status: r.scan_status,
        reason: `the scan of ${r.target.input} ended ${r.scan_status}${r.reasons.length > 0 ? ` (${r.reasons.map((x) => x.code).join(', ')})` : ''}: its results are incomplete, and uploading them would close open code scanning alerts for ${p.category} that were simply not checked`,
      });
    }
  });
  return { sarif, trimmed, incomplete };
}

function gzipSize(sarif: SarifLog): number {
  return gzipSync(JSON.stringify(sarif)).length;
}

function assemble(plans: RunPlan[], opts: SarifOptions): SarifLog {
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: plans.map((p) => buildRun(p, opts)) };
}

function buildRun(p: RunPlan, opts: SarifOptions): SarifRun {
  const kept = p.all.slice(0, p.kept);
  const byRule = new Map<string, Candidate[]>();
  for (const c of kept) {
    const list = byRule.get(c.finding.id);
    if (list) list.push(c);
    else byRule.set(c.finding.id, [c]);
  }
  const ruleIds = [...byRule.keys()].sort();
  if (ruleIds.length > MAX_RULES_PER_RUN)
    throw new SarifRenderError(`${ruleIds.length} rules in one run: GitHub accepts at most ${MAX_RULES_PER_RUN}`);
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const rules = ruleIds.map((id) =>
    buildRule(
      id,
      byRule.get(id)!.map((c) => c.finding),
    ),
  );
  const results = kept.map((c) => buildResult(c, ruleIndex.get(c.finding.id)!, p.ctx));
  // YARA detections: their rules after the vulnerabilities' (ids `yara/…` never clash with advisory ids).
  const byYaraRule = new Map<string, Detection[]>();
  for (const d of p.detections) {
    const id = detectionRuleId(d);
    const list = byYaraRule.get(id);
    if (list) list.push(d);
    else byYaraRule.set(id, [d]);
  }
  const yaraIds = [...byYaraRule.keys()].sort();
  if (ruleIds.length + yaraIds.length > MAX_RULES_PER_RUN)
    throw new SarifRenderError(
      `${ruleIds.length + yaraIds.length} rules in one run: GitHub accepts at most ${MAX_RULES_PER_RUN}`,
    );
  yaraIds.forEach((id, i) => {
    rules.push(buildDetectionRule(id, byYaraRule.get(id)!));
    ruleIndex.set(id, ruleIds.length + i);
  });
  for (const d of p.detections) results.push(buildDetectionResult(d, ruleIndex.get(detectionRuleId(d))!, p.category));

  const r = p.input.report;
  const level: SarifNotification['level'] =
    r.scan_status === 'failed' ? 'error' : r.scan_status === 'partial_failed' ? 'warning' : 'note';
  const notifications: SarifNotification[] = r.reasons.map((x) => ({
    level,
    message: { text: `${x.code}: ${x.message}${x.hint ? ` ${x.hint}` : ''}` },
    descriptor: { id: x.code },
  }));
  const image = r.target.refs[0] ?? r.target.input;
  return {
    tool: {
      driver: {
        name: 'ScanRook',
        semanticVersion: opts.toolVersion,
        version: opts.toolVersion,
        ...(opts.informationUri ? { informationUri: opts.informationUri } : {}),
        rules,
      },
    },
    automationDetails: { id: `${p.category}/`, description: { text: `ScanRook container scan of ${image}` } },
    invocations: [
      {
        executionSuccessful: r.scan_status !== 'failed',
        ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
      },
    ],
    columnKind: 'utf16CodeUnits',
    results,
    properties: {
      image,
      image_id: r.target.image_id,
      platform: r.target.platform,
      scan_status: r.scan_status,
      inventory_status: r.inventory_status,
      packages: r.packages.length,
      // No count where findings were not (fully) computed (spec §6): `matching` says so instead.
      ...(findingCounts(r) ? { findings: r.findings.length } : {}),
      matching: matchingOf(r),
      results_kept: kept.length,
      // No count where YARA did not check every file (yara_scan_incomplete): yara_complete says so instead.
      ...(r.yara?.complete === false ? { yara_complete: false } : { detections: r.detections?.length ?? 0 }),
      yara: r.yara ? r.yara.status : 'not_run',
      ...(r.yara?.stopped_by ? { yara_stopped_by: r.yara.stopped_by } : {}),
      ...(p.ctx.mapping ? { dockerfile: p.ctx.dockerfilePath, dockerfile_mapping: p.ctx.mapping.confidence } : {}),
    },
  };
}
