/**
 * YARA detections (deep mode) in SARIF: findings of their own kind, next to the vulnerabilities. One rule per
 * (namespace, rule) — id `yara/<namespace>/<rule>`, stable across runs and never a vulnerability id — and one
 * result per (rule, file path) at the file's path inside the image (a stable pseudo-location: code scanning
 * shows it even though the repository has no such file). Fingerprints come from the rule, the path and the
 * image category only, so an alert stays open while the file keeps matching and closes when it is gone.
 * The matched bytes are never written (a secret must not travel further than the image it is in): only the
 * rule, the path, the layer, the severity and the match offsets.
 */
import { createHash } from 'node:crypto';
import type { Detection } from '../../model/detection.js';
import type { Severity } from '../../model/report.js';
import { SARIF_SEVERITY_RANK } from '../../model/severity.js';
import { FINGERPRINT_KEY } from './fingerprint.js';
import { toUri } from './results.js';
import { MAX_DESCRIPTION, MAX_TAGS, md, truncate } from './rules.js';
import { sarifLevel, securitySeverity, worse } from './severity.js';
import type { SarifResult, SarifRule } from './types.js';

export const YARA_RULE_PREFIX = 'yara/';
const MAX_HELP_PATHS = 25;

export function detectionRuleId(d: Pick<Detection, 'namespace' | 'rule'>): string {
  return `${YARA_RULE_PREFIX}${d.namespace}/${d.rule}`;
}

function stablePath(d: Pick<Detection, 'path'>): string {
  return d.path.replace(/\\/g, '/').replace(/^\/+/, '');
}

/** Identity of one detection result: rule + file path. */
export function detectionKey(d: Pick<Detection, 'namespace' | 'rule' | 'path'>): string {
  return ['yara', detectionRuleId(d), stablePath(d)].join('\u0000');
}

export function detectionFingerprints(
  d: Pick<Detection, 'namespace' | 'rule' | 'path'>,
  category: string,
): Record<string, string> {
  const h = createHash('sha256')
    .update(`${detectionKey(d)}\u0000${category}`)
    .digest('hex');
  return { [FINGERPRINT_KEY]: h.slice(0, 32), primaryLocationLineHash: `${h.slice(0, 16)}:1` };
}

/** One per (rule, path), the worst severity of duplicates kept; most severe first, then by identity. */
export function uniqueDetections(detections: readonly Detection[]): Detection[] {
  const by = new Map<string, Detection>();
  for (const d of detections) {
    const k = detectionKey(d);
    const prev = by.get(k);
    if (!prev) by.set(k, d);
    else if (worse(prev.severity, d.severity) !== prev.severity) by.set(k, d);
  }
  return [...by.entries()]
    .sort(
      ([ka, a], [kb, b]) =>
        SARIF_SEVERITY_RANK[b.severity] - SARIF_SEVERITY_RANK[a.severity] || (ka < kb ? -1 : ka > kb ? 1 : 0),
    )
    .map(([, d]) => d);
}

function sevOf(ds: readonly Detection[]): Severity {
  let s = ds[0]!.severity;
  for (const d of ds) s = worse(s, d.severity);
  return s;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export function buildDetectionRule(id: string, ds: readonly Detection[]): SarifRule {
  const d0 = ds[0]!;
  const severity = sevOf(ds);
  const sec = securitySeverity({ severity, score: null });
  const description = oneLine(ds.find((d) => d.description && d.description.trim() !== '')?.description ?? '');
  const source = oneLine(ds.find((d) => d.source && d.source.trim() !== '')?.source ?? '');
  const builtin = d0.namespace === 'scanrook';
  const origin = builtin
    ? 'a built-in ScanRook YARA rule'
    : `a YARA rule from your rules folder (namespace ${d0.namespace})`;
  const shortText = description !== '' ? `${d0.rule}: ${description}` : `YARA rule ${d0.rule} matched`;
  const fullText = `${description !== '' ? `${description}. ` : ''}Matched by ${origin} in files of the image (${severity} severity).${source !== '' ? ` Pattern source: ${source}.` : ''}`;
  const paths = [...new Set(ds.map((d) => stablePath(d)))].sort();
  const listed = paths.slice(0, MAX_HELP_PATHS);
  const more = paths.length - listed.length;
  const advice =
    'Remove the file from the image (a secret that shipped in an image must be treated as leaked: revoke and rotate it), ' +
    'or suppress the rule if the match is expected. The matched bytes are not shown here.';
  const text = [
    `${id} (${severity})`,
    ...(description !== '' ? ['', description] : []),
    ...(source !== '' ? ['', `Source: ${source}`] : []),
    '',
    'Files:',
    ...listed.map((p) => `- ${p}`),
    ...(more > 0 ? [`- … and ${more} more`] : []),
    '',
    advice,
  ];
  const mdl = [
    `**${md(id)}** (${severity})`,
    ...(description !== '' ? ['', md(description)] : []),
    ...(source !== '' ? ['', `Source: ${md(source)}`] : []),
    '',
    '**Files**',
    '',
    ...listed.map((p) => `- ${md(p)}`),
    ...(more > 0 ? [`- … and ${more} more`] : []),
    '',
    md(advice),
  ];
  const tags = ['security', 'yara', builtin ? 'built-in' : 'user-rule', severity];
  if (/private_key|secret|token|credential|access_key/i.test(d0.rule)) tags.push('secret');
  if (/miner|webshell|malware/i.test(d0.rule)) tags.push('malware');
  const rule: SarifRule = {
    id,
    name: truncate(d0.rule, 255),
    shortDescription: { text: truncate(shortText, MAX_DESCRIPTION) },
    fullDescription: { text: truncate(fullText, MAX_DESCRIPTION) },
    help: { text: text.join('\n'), markdown: mdl.join('\n') },
    defaultConfiguration: { level: sarifLevel(severity) },
    properties: {
      tags: [...new Set(tags)].slice(0, MAX_TAGS),
      precision: 'high',
      kind: 'yara',
      namespace: d0.namespace,
      rule: d0.rule,
    },
  };
  if (sec !== null) rule.properties['security-severity'] = sec;
  return rule;
}

export function buildDetectionResult(d: Detection, ruleIndex: number, category: string): SarifResult {
  const path = stablePath(d);
  let text = `YARA rule ${d.rule} (${d.namespace}, ${d.severity}) matched ${path}`;
  if (d.layer) text += ` in layer ${d.layer.index}${d.layer.created_by ? ` (${shortCmd(d.layer.created_by)})` : ''}`;
  text += '.';
  if (d.description) text += ` ${oneLine(d.description)}.`.replace(/\.\.$/, '.');
  return {
    ruleId: detectionRuleId(d),
    ruleIndex,
    level: sarifLevel(d.severity),
    message: { text },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(path === '' ? d.rule : path) },
          region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
        },
      },
    ],
    partialFingerprints: detectionFingerprints(d, category),
    properties: {
      kind: 'yara',
      namespace: d.namespace,
      rule: d.rule,
      path,
      severity: d.severity,
      ...(d.layer ? { layer_index: d.layer.index, layer_digest: d.layer.digest } : {}),
      match_offsets: d.matches.map((m) => m.offset),
    },
  };
}

function shortCmd(s: string): string {
  const t = s
    .replace(/\s+/g, ' ')
    .replace(/ # buildkit$/, '')
    .trim();
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}
