/**
 * The action: inputs → one scan per image → JSON report(s), verdict, step outputs, job summary.
 * This file and main.ts are the only ones that touch @actions/*; everything here goes through the small
 * ActionIo interface so the flow tests without module mocks.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { decideVerdict } from '../policy/verdict.js';
import type { Verdict, VerdictValue } from '../policy/verdict.js';
import { runScan } from '../scan/run.js';
import type { ScanDeps } from '../scan/run.js';
import type { ScanInput } from '../scan/input.js';
import { worseStatus } from '../scan/reasons.js';
import type { TerminalStatus } from '../scan/reasons.js';
import { SEVERITIES } from '../scan/report.js';
import type { ScanReport } from '../scan/report.js';
import type { Settings } from '../scan/settings.js';
import type { Logger } from '../util/logger.js';
import { InputError, parseImageTarSpec } from '../util/values.js';
import { formatProblem, loadSuppressionFiles, suppressor } from '../policy/suppress/files.js';
import { hasErrors } from '../policy/suppress/types.js';
import { parseInputs } from './inputs.js';
import { renderSummary } from './summary.js';

export interface ActionIo {
  getInput(name: string): string;
  setOutput(name: string, value: string): void;
  setFailed(message: string): void;
  warning(message: string): void;
  notice(message: string): void;
  /** Appends markdown to the job summary (GITHUB_STEP_SUMMARY). */
  writeSummary(markdown: string): Promise<void>;
  logger: Logger;
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

export async function runAction(io: ActionIo, makeDeps: (settings: Settings, logger: Logger) => ScanDeps): Promise<ImageResult[]> {
  let settings: Settings;
  try {
    settings = parseInputs((name) => io.getInput(name));
  } catch (e) {
    if (e instanceof InputError) { io.setFailed(e.message); return []; }
    throw e;
  }
  const suppressions = loadSuppressionFiles(settings.ignoreFile, settings.vex);
  for (const p of suppressions.problems) (p.level === 'error' ? io.logger.error : io.logger.warn)(formatProblem(p));
  if (hasErrors(suppressions.problems)) {
    io.setFailed('ScanRook: the suppression files (ignore-file, vex) have errors, listed above; nothing was scanned, because what you meant to suppress cannot be known');
    return [];
  }
  const inputs = scanInputs(settings);
  const deps = { ...makeDeps(settings, io.logger), suppress: suppressor(suppressions.rules, io.logger) };
  const results: ImageResult[] = [];
  for (const [i, input] of inputs.entries()) {
    const report = await runScan(input, {
      mode: settings.mode, platform: settings.platform, maxImageSize: settings.maxImageSize,
      maxPackages: settings.maxPackages, timeout: settings.timeout,
    }, deps);
    const verdict = decideVerdict({ status: report.scan_status, reasons: report.reasons, findings: report.findings }, settings);
    let reportFile: string | null = reportPathFor(settings.reportFile, i, inputs.length);
    try {
      mkdirSync(dirname(reportFile), { recursive: true });
      writeFileSync(reportFile, JSON.stringify(report, null, 2) + '\n');
    } catch (e) {
      io.warning(`could not write the JSON report to ${reportFile}: ${(e as Error).message}`);
      reportFile = null;
    }
    results.push({ input, report, verdict, reportFile });
    const name = report.target.input;
    const line = `${name}: ${report.scan_status} — ${verdict.verdict}: ${verdict.why}`;
    io.logger.info(line);
    for (const r of report.reasons) io.logger.info(`  ${r.code} [${r.stage}] ${r.message} — ${r.hint}`);
  }
  setOutputs(io, results);
  if (settings.summary) {
    try {
      await io.writeSummary(renderSummary(results));
    } catch (e) {
      io.warning(`could not write the job summary: ${(e as Error).message}`);
    }
  }
  const worst = results.reduce<ImageResult | null>((w, r) => (!w || VERDICT_ORDER[r.verdict.verdict] > VERDICT_ORDER[w.verdict.verdict] ? r : w), null);
  if (worst) {
    const text = results.length > 1 ? `${worst.report.target.input}: ${worst.verdict.why}` : worst.verdict.why;
    if (worst.verdict.verdict === 'fail') io.setFailed(`ScanRook ${text}`);
    else if (worst.verdict.verdict === 'warn') io.warning(`ScanRook ${text}`);
    else io.notice(`ScanRook ${text}`);
  }
  return results;
}

export function setOutputs(io: ActionIo, results: readonly ImageResult[]): void {
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
  // A failed scan has no vulnerability result: counts stay empty rather than reading as "0 findings".
  const anyFailed = results.some((r) => r.report.scan_status === 'failed');
  const sum = (f: (r: ScanReport) => number) => (anyFailed ? '' : String(results.reduce((n, r) => n + f(r.report), 0)));
  io.setOutput('findings', sum((r) => r.summary.findings));
  for (const s of SEVERITIES) io.setOutput(s, sum((r) => r.summary.by_severity[s]));
  io.setOutput('sarif-file', '');
  io.setOutput('report-file', results.map((r) => r.reportFile).filter((f): f is string => !!f).join('\n'));
  io.setOutput('comment-url', '');
}
