/**
 * The action: inputs → one scan per image → one JSON report per image, and everything else rendered from
 * those reports: SARIF (written, optionally uploaded), Dockerfile lines, annotations, the sticky PR comment,
 * the job summary, the step outputs and the verdict. This file and main.ts are the only ones that touch
 * @actions/*; everything here goes through the small ActionIo interface so the flow tests without module mocks.
 *
 * Nothing but the verdict decides the step's outcome: a surface that fails (a folder that cannot be written,
 * a 403 on the comment or the upload, GitHub down) is a warning, and the verdict still reaches the log.
 */
import { extname } from 'node:path';
import type { ImageDockerfile } from '../dockerfile/image.js';
import { annotationLines, mapImage } from '../dockerfile/image.js';
import type { DockerfileSource } from '../dockerfile/source.js';
import type { GitHubClient } from '../github/client.js';
import type { ActionEnvironment } from '../github/context.js';
import { commentMarkerId } from '../github/context.js';
import type { UploadOptions } from '../github/sarif-upload.js';
import type { UpsertOptions } from '../github/sticky-comment.js';
import { upsertComment } from '../github/sticky-comment.js';
import type { TerminalStatus } from '../model/reasons.js';
import { worseStatus } from '../model/reasons.js';
import type { ScanReport } from '../model/report.js';
import { SEVERITIES } from '../model/report.js';
import type { Settings } from '../model/settings.js';
import { formatProblem, loadSuppressionFiles, suppressor } from '../policy/suppress/files.js';
import { hasErrors } from '../policy/suppress/types.js';
import type { Verdict, VerdictValue } from '../policy/verdict.js';
import { reportVerdict } from '../policy/verdict.js';
import type { Annotation } from '../report/annotations/plan.js';
import { planAnnotations } from '../report/annotations/plan.js';
import { renderComment } from '../report/comment/render.js';
import type { ReportItem } from '../report/comment/sections.js';
import { isNoteworthy } from '../report/comment/sections.js';
import type { FindingCounts } from '../report/counts.js';
import { findingCounts } from '../report/counts.js';
import { withCauseHints } from '../report/hints.js';
import { reportJson } from '../report/json.js';
import { renderJobSummary } from '../report/summary/render.js';
import type { ScanInput } from '../scan/input.js';
import type { ScanDeps } from '../scan/ports.js';
import { runScan } from '../scan/run.js';
import { parseImageTarSpec } from '../settings/images.js';
import { scanOptionsOf } from '../settings/scan-options.js';
import { InputError } from '../settings/values.js';
import { errorText } from '../util/error-text.js';
import type { Logger } from '../util/logger.js';
import { loadDockerfile } from './dockerfile.js';
import { writeFileAtomic } from './files.js';
import { parseInputs } from './inputs.js';
import { publishSarif, sarifCategories } from './sarif.js';

export interface ActionIo {
  getInput(name: string): string;
  setOutput(name: string, value: string): void;
  /** Fails the step with an error annotation. */
  setFailed(message: string): void;
  /** Fails the step (exit code 1) without a message: the verdict annotation already said why. */
  markFailed(): void;
  warning(message: string): void;
  notice(message: string): void;
  /** An annotation, with its file and line when it has them. */
  annotate(a: Annotation): void;
  /** Appends markdown to the job summary (GITHUB_STEP_SUMMARY). */
  writeSummary(markdown: string): Promise<void>;
  logger: Logger;
}

/** Where the step runs and how it talks to GitHub. */
export interface ActionSurroundings {
  env: ActionEnvironment;
  /** null when there is no token: no comment, no upload. */
  client: GitHubClient | null;
  /** The working directory relative paths are read from. */
  cwd: string;
  /** Test hooks (waits between retries and polls); the action uses the libraries' defaults. */
  uploadOptions?: UploadOptions;
  commentOptions?: Pick<UpsertOptions, 'sleep' | 'maxAttempts' | 'maxWaitMs'>;
}

export interface ImageResult {
  input: ScanInput;
  report: ScanReport;
  verdict: Verdict;
  reportFile: string | null;
}

const VERDICT_ORDER: Record<VerdictValue, number> = { pass: 0, warn: 1, fail: 2 };

export function scanInputs(settings: Settings): ScanInput[] {
  return [
    ...settings.images.map((ref): ScanInput => ({ kind: 'docker', ref })),
    ...settings.imageTars.map((line): ScanInput => {
      const spec = parseImageTarSpec('image-tar', line);
      return spec.ref ? { kind: 'path', path: spec.path, ref: spec.ref } : { kind: 'path', path: spec.path };
    }),
  ];
}

/** `scanrook-report.json` for one image; `scanrook-report-1.json`, `-2`, … for several. */
export function reportPathFor(base: string, index: number, count: number): string {
  if (count === 1) return base;
  const ext = extname(base);
  return `${ext ? base.slice(0, -ext.length) : base}-${index + 1}${ext || '.json'}`;
}

export async function runAction(
  io: ActionIo,
  makeDeps: (settings: Settings, logger: Logger) => ScanDeps,
  around: ActionSurroundings,
): Promise<ImageResult[]> {
  let settings: Settings;
  try {
    settings = parseInputs((name) => io.getInput(name));
  } catch (e) {
    if (e instanceof InputError) {
      io.setFailed(e.message);
      return [];
    }
    throw e;
  }
  for (const p of around.env.problems) io.warning(p);
  const suppressions = loadSuppressionFiles(settings.ignoreFile, settings.vex);
  for (const p of suppressions.problems) (p.level === 'error' ? io.logger.error : io.logger.warn)(formatProblem(p));
  if (hasErrors(suppressions.problems)) {
    io.setFailed(
      'ScanRook: the suppression files (ignore-file, vex) have errors, listed above; nothing was scanned, because what you meant to suppress cannot be known',
    );
    return [];
  }

  // 1. Scans, one JSON report each.
  const inputs = scanInputs(settings);
  const deps = { ...makeDeps(settings, io.logger), suppress: suppressor(suppressions.rules, io.logger) };
  const results: ImageResult[] = [];
  for (const [i, input] of inputs.entries()) {
    // Hints by cause (a db-path without data is not a network problem), in the action's words.
    const report = withCauseHints(await runScan(input, scanOptionsOf(settings), deps), 'action');
    const verdict = reportVerdict(report, settings);
    let reportFile: string | null = reportPathFor(settings.reportFile, i, inputs.length);
    try {
      writeFileAtomic(reportFile, reportJson(report));
    } catch (e) {
      io.warning(`could not write the JSON report to ${reportFile}: ${errorText(e)}`);
      reportFile = null;
    }
    results.push({ input, report, verdict, reportFile });
    io.logger.info(`${report.target.input}: ${report.scan_status} — ${verdict.verdict}: ${verdict.why}`);
    for (const r of report.reasons) io.logger.info(`  ${r.code} [${r.stage}] ${r.message} — ${r.hint}`);
  }

  /** A reporting surface that throws is a warning, never the end of the step: the verdict must still come. */
  const guard = async <T>(what: string, f: () => T | Promise<T>, fallback: T): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      io.warning(`ScanRook could not ${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    }
  };

  // 2. The Dockerfile, parsed once; each image's layers mapped to its lines once, for SARIF and the annotations.
  const dockerfile: DockerfileSource | null =
    settings.dockerfile === null
      ? null
      : await guard(
          'read the Dockerfile',
          () =>
            loadDockerfile(settings.dockerfile!, around.env.context?.workspace ?? around.cwd, around.cwd, (m) =>
              io.warning(m),
            ),
          null,
        );
  const dockerfiles: (ImageDockerfile | null)[] = await guard(
    'map the image layers to the Dockerfile',
    () =>
      results.map((r) => {
        if (!dockerfile) return null;
        const d = mapImage(dockerfile, r.report);
        if (d)
          io.logger.info(
            `${r.report.target.input}: Dockerfile ${d.path} lines ${d.mapping.confidence === 'fallback' ? 'not matched' : `matched (${d.mapping.confidence})`}: ${d.mapping.reason}`,
          );
        return d;
      }),
    results.map(() => null),
  );

  // 3. SARIF: written always, uploaded on request.
  const categories = sarifCategories(settings.sarifCategory, results);
  const sarif = await guard(
    'write the SARIF file',
    () =>
      publishSarif(
        { warning: (m) => io.warning(m), info: (m) => io.logger.info(m) },
        settings,
        results.map((r, i) => ({ report: r.report, category: categories[i]!, dockerfile: dockerfiles[i] ?? null })),
        { client: around.client, context: around.env.context },
        around.uploadOptions,
      ),
    { file: null, notes: results.map(() => null), upload: null },
  );

  const items: ReportItem[] = results.map((r, i) => ({
    report: r.report,
    verdict: r.verdict,
    reportPath: r.reportFile,
    sarifNote: sarif.notes[i] ?? null,
  }));
  const worst = results.reduce<ImageResult | null>(
    (w, r) => (!w || VERDICT_ORDER[r.verdict.verdict] > VERDICT_ORDER[w.verdict.verdict] ? r : w),
    null,
  );

  // 4. Annotations (the first is the verdict).
  let verdictAnnotated = false;
  if (settings.annotations && results.length > 0) {
    await guard(
      'annotate the run',
      () => {
        const plan = planAnnotations(
          results.map((r, i) => ({
            report: r.report,
            verdict: r.verdict,
            dockerfile: dockerfiles[i]
              ? { path: dockerfiles[i]!.path, lines: annotationLines(dockerfiles[i]!.mapping) }
              : null,
          })),
        );
        for (const a of plan) io.annotate(a);
        verdictAnnotated = worst !== null && plan.some((a) => a.title === `ScanRook: ${worst.verdict.verdict}`);
      },
      undefined,
    );
  }

  // 5. The PR comment.
  let commentUrl = '';
  if (settings.comment !== 'never' && results.length > 0) {
    await guard(
      'write the PR comment',
      async () => {
        const ctx = around.env.context;
        if (!ctx) {
          io.logger.info('PR comment skipped: not running in GitHub Actions (GITHUB_REPOSITORY is not set).');
          return;
        }
        if (ctx.pullRequest === null) {
          io.logger.info(
            `PR comment skipped: the ${ctx.eventName || 'current'} event is not a pull request; the result is in the job summary.`,
          );
          return;
        }
        if (!around.client) {
          io.warning('PR comment not written: input "github-token" is empty; the result is in the job summary.');
          return;
        }
        const marker = commentMarkerId(around.env, settings);
        const body = renderComment(items, { marker, runUrl: around.env.runUrl });
        // Ours is found by the marker and a bot author (GITHUB_TOKEN's github-actions[bot], or a GitHub App's):
        // a person's comment quoting the marker is never edited.
        const res = await upsertComment(around.client, ctx, body, {
          marker,
          mode: settings.comment,
          noteworthy: isNoteworthy(items),
          ...around.commentOptions,
        });
        if (res.outcome === 'forbidden' || res.outcome === 'failed') io.warning(res.message);
        else io.logger.info(res.message);
        if (res.url && (res.outcome === 'created' || res.outcome === 'updated' || res.outcome === 'unchanged'))
          commentUrl = res.url;
      },
      undefined,
    );
  }

  setOutputs(io, results, { sarifFile: sarif.file ?? '', commentUrl });

  // 6. The job summary.
  if (settings.summary && results.length > 0) {
    await guard(
      'write the job summary',
      async () => {
        try {
          await io.writeSummary(renderJobSummary(items, { runUrl: around.env.runUrl }));
        } catch (e) {
          io.warning(
            `could not write the job summary: ${errorText(e)}; the verdict and each image's result are in the log above`,
          );
        }
      },
      undefined,
    );
  }

  // 7. The verdict: the worst image's.
  if (worst) {
    const text = results.length > 1 ? `${worst.report.target.input}: ${worst.verdict.why}` : worst.verdict.why;
    if (worst.verdict.verdict === 'fail') {
      if (verdictAnnotated) io.markFailed();
      else io.setFailed(`ScanRook ${text}`);
    } else if (verdictAnnotated) {
      // already announced by the verdict annotation
    } else if (worst.verdict.verdict === 'warn') io.warning(`ScanRook ${text}`);
    else io.notice(`ScanRook ${text}`);
  }
  return results;
}

export function setOutputs(
  io: ActionIo,
  results: readonly ImageResult[],
  more: { sarifFile: string; commentUrl: string } = { sarifFile: '', commentUrl: '' },
): void {
  let status: TerminalStatus = 'done';
  let verdict: VerdictValue = 'pass';
  const reasons = new Set<string>();
  for (const r of results) {
    status = worseStatus(status, r.report.scan_status);
    if (VERDICT_ORDER[r.verdict.verdict] > VERDICT_ORDER[verdict]) verdict = r.verdict.verdict;
    for (const reason of r.report.reasons) reasons.add(reason.code);
  }
  io.setOutput('status', status);
  io.setOutput('reasons', [...reasons].join(','));
  io.setOutput('verdict', verdict);
  // Where findings were not (fully) computed — a failed scan, no DB, an ecosystem without data, the time limit
  // before matching — counts stay empty rather than reading as "0 findings" (spec §6); one such image empties the step's.
  const counts = results.map((r) => findingCounts(r.report));
  const allCounted = counts.every((c) => c !== null);
  const anyFailed = results.some((r) => r.report.scan_status === 'failed');
  const total = (f: (c: FindingCounts) => number) => (allCounted ? String(counts.reduce((n, c) => n + f(c!), 0)) : '');
  io.setOutput(
    'findings',
    total((c) => c.findings),
  );
  for (const s of SEVERITIES)
    io.setOutput(
      s,
      total((c) => c.by_severity[s]),
    );
  const sum = (f: (r: ScanReport) => number) => (anyFailed ? '' : String(results.reduce((n, r) => n + f(r.report), 0)));
  // Detections: empty when YARA ran nowhere (light mode) — files not checked are not "0 detections".
  const yaraRan = results.some((r) => r.report.yara !== null);
  const yaraComplete = results.every((r) => r.report.yara?.complete !== false);
  io.setOutput('detections', yaraRan && yaraComplete ? sum((r) => r.detections.length) : '');
  io.setOutput('sarif-file', more.sarifFile);
  io.setOutput(
    'report-file',
    results
      .map((r) => r.reportFile)
      .filter((f): f is string => !!f)
      .join('\n'),
  );
  io.setOutput('comment-url', more.commentUrl);
}
