/**
 * What `scanrook scan` prints (--format table|json|sarif|markdown), and the paths it checks before a scan
 * starts: an output file it could not write, or a --db-path / --yara-rules that is not there, is a usage
 * error at once — not a stack trace after the scan, nor a scan that quietly ran without its data.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ScanReport } from '../model/report.js';
import { TOOL_VERSION } from '../model/version.js';
import type { Verdict } from '../policy/verdict.js';
import type { CliFormat } from '../settings/flags.js';
import { UsageError } from '../settings/flags.js';

function kindOf(path: string): 'file' | 'folder' | 'other' | null {
  try {
    const s = statSync(path);
    return s.isDirectory() ? 'folder' : s.isFile() ? 'file' : 'other';
  } catch {
    return null;
  }
}

/** --output: not a folder, and in a folder that exists. */
export function checkOutputPath(flag: string, path: string): void {
  if (kindOf(path) === 'folder') throw new UsageError(`${flag} ${path} is a folder: give a file name`);
  const parent = dirname(resolve(path));
  const k = kindOf(parent);
  if (k === null) throw new UsageError(`${flag} ${path}: the folder ${parent} does not exist (create it first)`);
  if (k !== 'folder') throw new UsageError(`${flag} ${path}: ${parent} is not a folder`);
}

/** Paths the scan reads that must exist: a typo would otherwise scan without them and say so only in a hint. */
export function checkInputPaths(paths: { dbPath: string | null; yaraRules: string | null }): void {
  if (paths.dbPath !== null && kindOf(paths.dbPath) === null)
    throw new UsageError(
      `--db-path ${paths.dbPath} does not exist (a DB file from \`scanrook db build\`, or a folder of OSV data)`,
    );
  if (paths.yaraRules !== null && kindOf(paths.yaraRules) !== 'folder')
    throw new UsageError(`--yara-rules ${paths.yaraRules} is not a folder (of *.yar / *.yara rule files)`);
}

/** The report in the asked format. The renderers are loaded when used (start-up: see src/cli.ts). */
export async function renderOutput(format: CliFormat, report: ScanReport, verdict: Verdict): Promise<string> {
  if (format === 'json') return (await import(/* webpackMode: "eager" */ '../report/json.js')).reportJson(report);
  if (format === 'table')
    return (await import(/* webpackMode: "eager" */ '../report/table/render.js')).renderTable(report, verdict);
  if (format === 'markdown') {
    const { renderJobSummary } = await import(/* webpackMode: "eager" */ '../report/summary/render.js');
    return renderJobSummary([{ report, verdict, reportPath: null }], {});
  }
  const { normalizeCategory, renderSarif } = await import(/* webpackMode: "eager" */ '../report/sarif/render.js');
  const name = (report.target.refs[0] ?? 'image').replace(/@.*$/, '').replace(/:[^/:]*$/, '');
  const category = normalizeCategory(`scanrook/${name}`) || 'scanrook/image';
  return `${JSON.stringify(renderSarif([{ report, category }], { toolVersion: TOOL_VERSION }).sarif)}\n`;
}
