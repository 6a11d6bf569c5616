/**
 * Reason hints worded for the command line. The registry's hints (src/model/reasons.ts) name the action's
 * inputs (`mode: deep`, `db-path`, `image-tar`); a CLI user reads them as flags (`--mode deep`, `--db-path`)
 * and is never told to set `image-tar`. A few reasons get a CLI hint of their own, some by their cause
 * (a `--db-path` that holds no data is not a network problem). Applied to the report the CLI prints.
 */
import type { Reason, ScanReport } from '../model/report.js';
import { causeHint } from '../report/hints.js';
import { SETTING_DEFAULTS } from '../settings/defaults.js';

/** Settings the CLI has a flag for under the same name (the rest are the action's only). */
const FLAG_SETTINGS = new Set([
  ...Object.keys(SETTING_DEFAULTS),
  'fail-on-reasons',
  'warn-on-reasons',
  'db-path',
  'ignore-file',
  'vex',
  'yara-rules',
]);

/** Hints of the CLI's own, by reason code (and cause), where rewording the action's is not enough. */
function ownHint(r: Reason): string | null {
  switch (r.code) {
    case 'file_not_found':
      return 'Check the path given on the command line, and that the file was produced before this ran.';
    case 'docker_unavailable':
      return 'Start Docker (check DOCKER_HOST and the socket permissions), or scan an archive: `docker save IMAGE -o image.tar`, then `scanrook scan image.tar`.';
    case 'image_not_found':
      return 'Build or pull the image first (`docker images` lists them), check the reference (name:tag) matches exactly, or scan an archive with `scanrook scan image.tar`.';
    default:
      return null;
  }
}

/** `mode: deep` → `--mode deep`, `db-path` → `--db-path`, in backticks; other text unchanged. */
export function cliWording(hint: string): string {
  return hint.replace(/`([a-z][a-z-]*)(?:: ([^`]*))?`/g, (m, name: string, value: string | undefined) => {
    if (name === 'image-tar' || name === 'image') return 'the image argument';
    if (!FLAG_SETTINGS.has(name)) return m;
    if (name === 'db-cache') return '`--no-db-cache`';
    return value === undefined ? `\`--${name}\`` : `\`--${name} ${value}\``;
  });
}

export function cliHint(r: Reason): string {
  return ownHint(r) ?? causeHint(r, 'cli') ?? cliWording(r.hint);
}

/** The report with every reason's hint in CLI words (a copy; the scan's report is left as it is). */
export function withCliHints(report: ScanReport): ScanReport {
  return { ...report, reasons: report.reasons.map((r) => ({ ...r, hint: cliHint(r) })) };
}
