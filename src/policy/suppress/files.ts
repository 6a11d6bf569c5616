/**
 * Reading the suppression files a user named (ignore-file, vex) and turning them into the scan's suppress step.
 * A file that cannot be read or holds errors is returned as problems: the caller stops with a clear error,
 * because we cannot tell what the user meant to suppress.
 */
import { readFileSync } from 'node:fs';
import type { Finding, Package, TargetInfo } from '../../model/report.js';
import type { Logger } from '../../util/logger.js';
import type { SuppressionRules } from './apply.js';
import { applySuppressions } from './apply.js';
import { loadIgnoreFile } from './ignore-file.js';
import { loadVexDocument } from './openvex.js';
import type { SuppressionProblem } from './types.js';
import { formatProblem } from './types.js';

export function loadSuppressionFiles(
  ignoreFile: string | null,
  vexFiles: readonly string[],
): { rules: SuppressionRules; problems: SuppressionProblem[] } {
  const problems: SuppressionProblem[] = [];
  const rules: { ignore: SuppressionRules['ignore'][number][]; vex: SuppressionRules['vex'][number][] } = {
    ignore: [],
    vex: [],
  };
  const read = (path: string, kind: SuppressionProblem['kind']): string | null => {
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      problems.push({
        level: 'error',
        kind,
        source: path,
        index: null,
        field: null,
        message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      });
      return null;
    }
  };
  if (ignoreFile) {
    const text = read(ignoreFile, 'ignore-file');
    if (text !== null) {
      const r = loadIgnoreFile(text, ignoreFile);
      rules.ignore.push(...r.entries);
      problems.push(...r.problems);
    }
  }
  for (const path of vexFiles) {
    const text = read(path, 'vex');
    if (text !== null) {
      const r = loadVexDocument(text, path);
      rules.vex.push(...r.statements);
      problems.push(...r.problems);
    }
  }
  return { rules, problems };
}

/** The scan's suppress step for these rules; expired entries are logged as warnings. */
export function suppressor(
  rules: SuppressionRules,
  logger: Logger,
): (findings: Finding[], packages: Package[], target: TargetInfo, now: Date) => Finding[] {
  if (rules.ignore.length === 0 && rules.vex.length === 0) return (findings) => findings;
  return (findings, packages, target, now) => {
    const r = applySuppressions(findings, rules, now, { packages, target });
    for (const e of r.expired) {
      logger.warn(
        `ignore-file ${e.source}: an entry for ${e.entry.id} expired on ${e.entry.expires} and no longer suppresses (${e.matched} finding(s))`,
      );
    }
    return r.findings;
  };
}

export { formatProblem };
