/**
 * Which annotations to emit. GitHub shows at most 10 errors, 10 warnings and 10 notices per step (50 per
 * job); the rest are dropped silently. So they are spent in this order, per level:
 *   1. the step's verdict (one annotation: fail → error, warn → warning, pass → notice);
 *   2. per image whose scan is not `done` (or carries reasons): what went wrong and what to do;
 *   3. per Dockerfile line (worst first), every finding introduced by the layer that line made, grouped —
 *      "12 vulnerabilities (2 critical) in packages installed here: …" (lines of several images that share
 *      the Dockerfile are merged);
 *   2½. per image with YARA detections (deep mode), one grouped annotation: rules, paths and layers (never the
 *      matched bytes) — `error` when the verdict is fail and a detection is critical/high, `warning` for
 *      critical/high/medium/unknown (a secret of unknown severity may be serious), `notice` for the rest;
 *   4. per image, the counts of the findings no Dockerfile line could take.
 * A level that would exceed its budget keeps its first `max - 1` and ends with one "N more …" annotation.
 * Finding groups are `error` only when the image's verdict is fail and the group holds critical/high findings,
 * `warning` for critical/high/medium otherwise, `notice` for the rest (so an error never contradicts a pass).
 * Messages are plain text (annotations do not render markdown); the workflow-command escaping of `%`, CR and
 * LF is the caller's (@actions/core does it). Pure.
 */

import type { Detection } from '../../model/detection.js';
import type { Finding, ScanReport, Severity } from '../../model/report.js';
import { SEVERITIES } from '../../model/report.js';
import { SEVERITY_RANK } from '../../model/severity.js';
import type { Verdict } from '../../policy/verdict.js';
import { compareImportance } from '../comment/order.js';
import { imageName, worstItem } from '../comment/sections.js';
import { orderDetections } from '../comment/yara.js';
import { plainText } from '../escape.js';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  title: string;
  file?: string;
  startLine?: number;
}

export interface AnnotationItem {
  report: ScanReport;
  verdict: Verdict;
  /** The Dockerfile the image was built from, and the line that made each layer (layer index → 1-based line). */
  dockerfile?: { path: string; lines: Map<number, number> } | null;
}

export interface AnnotationOptions {
  /** Per level; default 10 (GitHub's per-step limit). */
  maxPerLevel?: number;
}

const LEVELS: AnnotationLevel[] = ['error', 'warning', 'notice'];
const MESSAGE_MAX = 900;

function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

function countsText(findings: readonly Finding[]): string {
  const parts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const fixable = findings.filter((f) => f.fixed_version !== null).length;
  return `${parts.join(', ')}; ${fixable} fixable`;
}

function worstSeverity(findings: readonly Finding[]): Severity {
  let w: Severity = 'unknown';
  for (const f of findings) if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[w]) w = f.severity;
  return w;
}

function groupLevel(findings: readonly Finding[], failing: boolean): AnnotationLevel {
  const w = worstSeverity(findings);
  if ((w === 'critical' || w === 'high') && failing) return 'error';
  if (w === 'critical' || w === 'high' || w === 'medium') return 'warning';
  return 'notice';
}

/** "perl-base 5.36.0-7+deb12u3 (13: CVE-…, CVE-…), apt 2.6.1 (1: CVE-…)", most important packages first. */
function packagesText(findings: readonly Finding[]): string {
  const by = new Map<string, Finding[]>();
  for (const f of [...findings].sort(compareImportance)) {
    const k = `${f.package} ${f.installed_version}`;
    const list = by.get(k) ?? [];
    list.push(f);
    by.set(k, list);
  }
  const parts: string[] = [];
  for (const [k, list] of by) {
    const ids =
      list
        .slice(0, 3)
        .map((f) => f.id)
        .join(', ') + (list.length > 3 ? ', …' : '');
    const fix = list.find((f) => f.fixed_version !== null)?.fixed_version;
    parts.push(`${k} (${list.length}: ${ids}${fix ? `; fixed in ${fix}` : ''})`);
  }
  return parts.join('; ');
}

function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.id}\u0000${f.package}\u0000${f.installed_version}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function detectionCounts(ds: readonly Detection[]): string {
  return SEVERITIES.map((s) => [s, ds.filter((d) => d.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
}

/** "aws_access_key_id in app/.env (layer 0); private_key_pem in root/key.pem (layer 1)", most severe first. */
function detectionsText(ds: readonly Detection[]): string {
  const shown = ds
    .slice(0, 8)
    .map(
      (d) =>
        `${d.namespace === 'scanrook' ? '' : `${d.namespace}/`}${d.rule} (${d.severity}) in ${d.path}${d.layer ? ` (layer ${d.layer.index})` : ''}`,
    );
  return shown.join('; ') + (ds.length > 8 ? `; and ${ds.length - 8} more` : '');
}

interface Candidate extends Annotation {
  /** Sort key inside its tier (higher first). */
  weight: number;
  tier: number;
}

export function planAnnotations(items: readonly AnnotationItem[], opts: AnnotationOptions = {}): Annotation[] {
  const max = Math.max(1, opts.maxPerLevel ?? 10);
  const cands: Candidate[] = [];
  const many = items.length > 1;
  // 1. the verdict.
  const worst = worstItem(items);
  if (worst) {
    const v = worst.verdict.verdict;
    const level: AnnotationLevel = v === 'fail' ? 'error' : v === 'warn' ? 'warning' : 'notice';
    const others = many ? ` (image ${imageName(worst.report)}; ${items.length} images scanned)` : '';
    const why = worst.verdict.why.replace(/[.\s]+$/, '');
    cands.push({
      tier: 1,
      weight: 0,
      level,
      title: `ScanRook: ${v}`,
      message: plainText(`${why.charAt(0).toUpperCase()}${why.slice(1)}${others}.`, MESSAGE_MAX),
    });
  }
  // 2. scan problems.
  for (const it of items) {
    const r = it.report;
    if (r.reasons.length === 0) continue;
    const level: AnnotationLevel =
      r.scan_status === 'failed' ? 'error' : r.scan_status === 'partial_failed' ? 'warning' : 'notice';
    const what =
      r.scan_status === 'failed'
        ? 'the scan failed: no vulnerability result'
        : r.scan_status === 'partial_failed'
          ? 'the scan is incomplete'
          : 'the scan completed with notes';
    const reasons = r.reasons
      .slice(0, 5)
      .map((x) => `${x.code}: ${x.message} (${x.hint})`)
      .join(' ');
    const more = r.reasons.length > 5 ? ` and ${r.reasons.length - 5} more reason(s)` : '';
    cands.push({
      tier: 2,
      weight: r.scan_status === 'failed' ? 2 : 1,
      level,
      title: plainText(`ScanRook: ${imageName(r)}: ${r.scan_status}`, 200),
      message: plainText(`${imageName(r)}: ${what}. ${reasons}${more}`, MESSAGE_MAX),
    });
  }
  // 2½. YARA detections, one annotation per image.
  for (const it of items) {
    const ds = orderDetections(it.report.detections ?? []);
    if (ds.length === 0) continue;
    const worstSev = ds[0]!.severity;
    const rank = worstSev === 'unknown' ? SEVERITY_RANK.medium : SEVERITY_RANK[worstSev];
    const level: AnnotationLevel =
      (worstSev === 'critical' || worstSev === 'high') && it.verdict.verdict === 'fail'
        ? 'error'
        : rank >= SEVERITY_RANK.medium
          ? 'warning'
          : 'notice';
    const stopped = it.report.yara?.stopped_by
      ? ` The YARA analysis was stopped by ${it.report.yara.stopped_by.replace(/_/g, ' ')}: there may be more.`
      : '';
    cands.push({
      tier: 2.5,
      weight: rank * 1e6 + ds.length,
      level,
      title: plainText(
        `ScanRook: ${plural(ds.length, 'secret or malware rule match', 'secret or malware rule matches')} in ${imageName(it.report)}`,
        200,
      ),
      message: plainText(
        `${plural(ds.length, 'YARA detection')} (${detectionCounts(ds)}; matched text not shown): ${detectionsText(ds)}.${stopped}`,
        MESSAGE_MAX,
      ),
    });
  }
  // 3. Dockerfile lines (merged across images that share the file); 4. the rest, per image.
  const lines = new Map<string, { path: string; line: number; findings: Finding[]; failing: boolean }>();
  for (const it of items) {
    const r = it.report;
    if (r.scan_status === 'failed') continue;
    const open = r.findings.filter((f) => !f.suppressed);
    const failing = it.verdict.verdict === 'fail';
    const rest: Finding[] = [];
    for (const f of open) {
      const line = it.dockerfile && f.layer ? it.dockerfile.lines.get(f.layer.index) : undefined;
      if (it.dockerfile && line !== undefined && Number.isInteger(line) && line >= 1) {
        const key = `${it.dockerfile.path}\u0000${line}`;
        const g = lines.get(key) ?? { path: it.dockerfile.path, line, findings: [], failing: false };
        g.findings.push(f);
        g.failing ||= failing;
        lines.set(key, g);
      } else rest.push(f);
    }
    if (rest.length) {
      const where = it.dockerfile ? ' not traced to a Dockerfile line' : '';
      cands.push({
        tier: 4,
        weight: SEVERITY_RANK[worstSeverity(rest)] * 1e6 + rest.length,
        level: groupLevel(rest, failing),
        title: plainText(
          `ScanRook: ${plural(rest.length, 'vulnerability', 'vulnerabilities')} in ${imageName(r)}`,
          200,
        ),
        message: plainText(
          `${plural(rest.length, 'vulnerability', 'vulnerabilities')}${where} (${countsText(rest)}): ${packagesText(rest)}`,
          MESSAGE_MAX,
        ),
      });
    }
  }
  for (const g of lines.values()) {
    const fs = dedupe(g.findings);
    const worstSev = worstSeverity(fs);
    const fixable = fs.filter((f) => f.fixed_version !== null).length;
    cands.push({
      tier: 3,
      weight: SEVERITY_RANK[worstSev] * 1e12 + fixable * 1e6 + fs.length,
      level: groupLevel(fs, g.failing),
      file: g.path,
      startLine: g.line,
      title: plainText(`ScanRook: ${plural(fs.length, 'vulnerability', 'vulnerabilities')} from this line`, 200),
      message: plainText(
        `${plural(fs.length, 'vulnerability', 'vulnerabilities')} (${countsText(fs)}) in packages installed here: ${packagesText(fs)}`,
        MESSAGE_MAX,
      ),
    });
  }
  // Spend each level's budget in priority order.
  const out: Annotation[] = [];
  for (const level of LEVELS) {
    const mine = cands.filter((c) => c.level === level).sort((a, b) => a.tier - b.tier || b.weight - a.weight);
    const keep = mine.length > max ? mine.slice(0, max - 1) : mine;
    for (const c of keep) {
      const a: Annotation = { level: c.level, title: c.title, message: c.message };
      if (c.file !== undefined) a.file = c.file;
      if (c.startLine !== undefined) a.startLine = c.startLine;
      out.push(a);
    }
    if (mine.length > max) {
      const dropped = mine.slice(max - 1);
      const n = dropped.reduce((s, c) => s + (c.tier >= 3 ? 1 : 0), 0);
      out.push({
        level,
        title: `ScanRook: ${dropped.length} more`,
        message: plainText(
          `${dropped.length} more ${level} annotation(s) not shown (GitHub shows ${max} per step)${n ? `, ${n} of them vulnerability groups` : ''}: see the job summary for every finding.`,
          MESSAGE_MAX,
        ),
      });
    }
  }
  // Verdict first overall, then the order above.
  return out.sort((a, b) => rankOf(a, cands) - rankOf(b, cands));
}

function rankOf(a: Annotation, cands: readonly Candidate[]): number {
  const c = cands.find((x) => x.title === a.title && x.message === a.message);
  return c ? c.tier : 5;
}
