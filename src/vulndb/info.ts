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
  };
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
