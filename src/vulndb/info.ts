/** `scanrook db info FILE`: what a DB holds, as data and as text. */
import type { SourceInfo } from './schema.js';
import type { OpenedVulnDb } from './store-reader.js';
import type { DbMeta } from './types.js';

export interface DbInfo {
  schemaVersion: number;
  source: string;
  builtAt: string;
  ecosystems: DbMeta['ecosystems'];
  /** Distinct stored record versions and (ecosystem, package, record) rows. */
  records: number;
  packageRows: number;
  skippedTotal: number;
  skipped: DbMeta['skipped'];
  sources: SourceInfo[];
  /** The ecosystems it was built for (null: everything in its inputs). */
  builtFor: string[] | null;
  /** Size of the DB file in bytes, when known. */
  fileBytes: number | null;
  /** What the enrichment was built from (meta.enrichment), null when the DB has none. */
  enrichment: Record<string, unknown> | null;
}

export function dbInfo(db: OpenedVulnDb, fileBytes: number | null = null): DbInfo {
  const meta = db.meta();
  const rows = db.countRows();
  return {
    schemaVersion: meta.schema_version,
    source: meta.source,
    builtAt: meta.built_at,
    ecosystems: meta.ecosystems,
    records: rows.records,
    packageRows: rows.packages,
    skippedTotal:
      meta.skipped.filter((s) => s.file !== '…').length +
      (Number(/^(\d+) more/.exec(meta.skipped.at(-1)?.reason ?? '')?.[1]) || 0),
    skipped: meta.skipped,
    sources: db.sources(),
    builtFor: db.wanted(),
    fileBytes,
    enrichment: db.enrichmentInfo(),
  };
}

function enrichmentLines(e: Record<string, unknown>): string[] {
  const n = (k: string) => Number(e[k] ?? 0);
  const lines = [
    '',
    `enrichment      ${n('cves_enriched')} of the ${n('cves_named')} CVE ids the records name: ${n('with_cvss')} with a CVSS rating, ${n('with_epss')} with EPSS, ${n('with_kev')} in KEV`,
  ];
  const sources = Array.isArray(e.sources) ? (e.sources as Record<string, unknown>[]) : [];
  for (const s of sources) {
    const extra = [s.version ? `version ${String(s.version)}` : '', s.date ? `dated ${String(s.date)}` : '']
      .filter(Boolean)
      .join(', ');
    lines.push(
      `  ${String(s.kind)} ${String(s.name)}: ${Number(s.records)} read, ${Number(s.skipped)} skipped${Number(s.ignored) ? `, ${Number(s.ignored)} files not records` : ''}${extra ? ` (${extra})` : ''}`,
    );
    const problems = Array.isArray(s.problems) ? (s.problems as { file?: unknown; reason?: unknown }[]) : [];
    for (const p of problems.slice(0, 5)) lines.push(`    ${String(p.file)}: ${String(p.reason)}`);
  }
  return lines;
}

export function formatDbInfo(info: DbInfo): string {
  const lines = [
    `schema version  ${info.schemaVersion}`,
    `source          ${info.source}`,
    `built at        ${info.builtAt}`,
    `built for       ${info.builtFor ? info.builtFor.join(', ') : 'all ecosystems in its inputs'}`,
    `records         ${info.records} (${info.packageRows} package entries)`,
  ];
  if (info.fileBytes !== null) lines.push(`file size       ${(info.fileBytes / 1024 / 1024).toFixed(1)} MiB`);
  lines.push('', 'ecosystem                      records  newest modified           fetched at');
  for (const e of info.ecosystems) {
    lines.push(
      `${e.name.padEnd(30)} ${String(e.records).padStart(7)}  ${(e.newest_modified ?? '-').padEnd(24)}  ${e.fetched_at}`,
    );
  }
  if (info.enrichment) lines.push(...enrichmentLines(info.enrichment));
  lines.push('', 'sources');
  for (const s of info.sources) {
    lines.push(
      `  ${s.name}: ${s.records} records, ${s.skipped} skipped, newest ${s.newest_modified ?? '-'}, fetched ${s.fetched_at}`,
    );
  }
  if (info.skippedTotal) {
    lines.push('', `skipped records: ${info.skippedTotal}`);
    for (const s of info.skipped.slice(0, 20)) lines.push(`  ${s.file}: ${s.reason}`);
    if (info.skipped.length > 20) lines.push(`  … ${info.skipped.length - 20} more named in the DB`);
  }
  return lines.join('\n');
}
