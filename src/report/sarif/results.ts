/**
 * One SARIF result per (vulnerability, package): level, a message whose first sentence stands alone, one
 * location (the Dockerfile line that brought the package in, else a stable path), fingerprints and suppressions.
 */

import type { DockerfileMapping, LayerLocation } from '../../dockerfile/map-layers.js';
import type { Finding, LayerRef, ScanReport } from '../../model/report.js';
import { SARIF_SEVERITY_RANK } from '../../model/severity.js';
import { fingerprints, resultKey } from './fingerprint.js';
import { fixedText } from './rules.js';
import { sarifLevel, securitySeverity, worse } from './severity.js';
import type { SarifLocation, SarifResult } from './types.js';

/** A finding, merged with any duplicates of the same (vulnerability, package), ready to rank. */
export interface Candidate {
  finding: Finding;
  key: string;
  rank: number[];
}

/** Group findings by (vulnerability, package, stable location); duplicates merge into the worst of them. */
export function candidates(findings: Finding[]): Candidate[] {
  const byKey = new Map<string, Finding>();
  for (const f of findings) {
    const key = resultKey(f);
    const prev = byKey.get(key);
    if (!prev) {
      byKey.set(key, { ...f, aliases: [...f.aliases], references: [...f.references] });
      continue;
    }
    const sev = worse(prev.severity, f.severity);
    const main = sev === prev.severity ? prev : { ...f };
    byKey.set(key, {
      ...main,
      severity: sev,
      score: Math.max(prev.score ?? -1, f.score ?? -1) >= 0 ? Math.max(prev.score ?? -1, f.score ?? -1) : null,
      aliases: [...new Set([...prev.aliases, ...f.aliases])],
      references: [...new Set([...prev.references, ...f.references])],
      fixed_version: main.fixed_version ?? prev.fixed_version ?? f.fixed_version,
      suppressed: prev.suppressed && f.suppressed ? prev.suppressed : null,
    });
  }
  const out: Candidate[] = [];
  for (const [key, finding] of byKey) {
    const sec = securitySeverity(finding);
    out.push({
      finding,
      key,
      rank: [
        finding.suppressed ? 0 : 1,
        SARIF_SEVERITY_RANK[finding.severity],
        sec === null ? 0 : Number(sec),
        finding.fixed_version ? 1 : 0,
      ],
    });
  }
  out.sort(compareCandidates);
  return out;
}

/** Most important first; ties broken by identity so the order never depends on input order. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  for (let i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return b.rank[i]! - a.rank[i]!;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export interface LocationContext {
  report: ScanReport;
  category: string;
  dockerfilePath: string | null;
  mapping: DockerfileMapping | null;
}

/** A repository-relative URI: forward slashes, no leading `./` or `/`, each segment percent-encoded. */
export function toUri(path: string): string {
  const clean = path
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '');
  return clean
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

function layerOf(f: Finding, report: ScanReport): LayerRef | null {
  if (f.layer) return f.layer;
  const p =
    report.packages.find(
      (x) => x.name === f.package && x.version === f.installed_version && x.location === f.location,
    ) ?? report.packages.find((x) => x.name === f.package && x.version === f.installed_version);
  return p?.layer ?? null;
}

function locate(
  f: Finding,
  ctx: LocationContext,
): { location: SarifLocation; layer: LayerRef | null; mapped: LayerLocation | null } {
  const layer = layerOf(f, ctx.report);
  if (ctx.dockerfilePath !== null) {
    const uri = toUri(ctx.dockerfilePath);
    const mapped = ctx.mapping
      ? ((layer ? ctx.mapping.layers.get(layer.index) : undefined) ?? {
          layer: layer?.index ?? -1,
          ...ctx.mapping.fallback,
        })
      : null;
    const region = mapped
      ? {
          startLine: mapped.startLine,
          startColumn: 1,
          endLine: mapped.endLine,
          endColumn: Math.max(1, mapped.endColumn),
        }
      : { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
    return { location: { physicalLocation: { artifactLocation: { uri }, region } }, layer, mapped };
  }
  const path = f.location && f.location.replace(/^\/+/, '') !== '' ? f.location : `${f.package_type}/${f.package}`;
  return {
    location: {
      physicalLocation: {
        artifactLocation: { uri: toUri(path) },
        region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
      },
    },
    layer,
    mapped: null,
  };
}

export function buildResult(c: Candidate, ruleIndex: number, ctx: LocationContext): SarifResult {
  const f = c.finding;
  const { location, layer, mapped } = locate(f, ctx);
  const fix = f.fixed_version ? `fixed in ${f.fixed_version}` : 'no fix yet';
  let text = `${f.package} ${f.installed_version} is affected by ${f.id} (${f.severity}); ${fix}.`;
  text += ` Package ${f.package_type} at ${f.location || '(unknown location)'}`;
  if (layer) text += `, layer ${layer.index}${layer.created_by ? ` (${shortCmd(layer.created_by)})` : ''}`;
  text += '.';
  if (mapped && mapped.origin === 'base-image') text += ' It comes with the base image.';
  const result: SarifResult = {
    ruleId: f.id,
    ruleIndex,
    level: sarifLevel(f.severity),
    message: { text },
    locations: [location],
    partialFingerprints: fingerprints(f, ctx.category),
    properties: {
      package: f.package,
      package_type: f.package_type,
      installed_version: f.installed_version,
      fixed_version: fixedText(f),
      purl: f.purl,
      package_location: f.location,
      severity: f.severity,
      severity_source: f.severity_source,
      ...(layer ? { layer_index: layer.index } : {}),
      ...(mapped ? { dockerfile_origin: mapped.origin, dockerfile_confidence: mapped.confidence } : {}),
      // DB enrichment (absent when unknown, as in the JSON report).
      ...(f.epss ? { epss_score: f.epss.score, epss_percentile: f.epss.percentile, epss_date: f.epss.date } : {}),
      ...(f.kev
        ? { kev_date_added: f.kev.date_added, kev_due_date: f.kev.due_date, kev_ransomware: f.kev.ransomware }
        : {}),
    },
  };
  if (f.suppressed) {
    result.suppressions = [
      {
        kind: 'external',
        status: 'accepted',
        justification:
          f.suppressed.justification.trim() !== '' ? f.suppressed.justification : `suppressed by ${f.suppressed.by}`,
        properties: { by: f.suppressed.by },
      },
    ];
  }
  return result;
}

function shortCmd(s: string): string {
  const t = s
    .replace(/\s+/g, ' ')
    .replace(/ # buildkit$/, '')
    .trim();
  return t.length > 80 ? `${t.slice(0, 77)}...` : t;
}
