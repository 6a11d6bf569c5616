/**
 * Bringing one bucket folder (base ecosystem) of a DB up to date from OSV's bucket:
 * - full: `<db-url>/<Base>/all.zip`, streamed into the DB (never held whole in memory);
 * - incremental: `<db-url>/<Base>/modified_id.csv` lists `<modified RFC 3339>,<id>` for every record of the
 *   folder, newest first (osv.dev go/cmd/exporter); only records modified after the newest `modified` the DB
 *   has for that folder are fetched, one by one, from `<db-url>/<Base>/<id>.json`. Falls back to a full
 *   download when the list cannot be read, when it lists more than `maxIncremental` records, or when the last
 *   full download is older than `fullEveryDays` (records deleted upstream only disappear on a full read).
 * Every attempt runs inside a savepoint: a failed download leaves the DB exactly as it was.
 */

import { modifiedMs } from './dates.js';
import { bodyWithIdleTimeout, bucketUrl, getText, type HttpContext, HttpError, withRetries } from './http.js';
import { readOsvZip, ZipError } from './read-zip.js';
import { parseRecord, RecordError } from './reduce.js';
import type { SourceInfo } from './schema.js';
import type { DbWriter } from './store-writer.js';

export interface UpdateOptions {
  baseUrl: string;
  clock: () => Date;
  /** Most records fetched one by one before a full download is preferred. */
  maxIncremental: number;
  /** A full download at least this often (days). */
  fullEveryDays: number;
  /** Parallel record fetches during an incremental refresh. */
  concurrency: number;
}

export const DEFAULT_UPDATE = { maxIncremental: 1000, fullEveryDays: 7, concurrency: 6 };

export type UpdateOutcome =
  | { base: string; status: 'full'; records: number; skipped: number }
  | { base: string; status: 'incremental'; records: number }
  | { base: string; status: 'absent'; message: string }
  | { base: string; status: 'failed'; message: string };

export function zipUrl(baseUrl: string, base: string): string {
  return bucketUrl(baseUrl, base, 'all.zip');
}

/** The `download` source of a base in a DB, if it has one. */
export function downloadSource(sources: readonly SourceInfo[], base: string): SourceInfo | undefined {
  return sources.find((s) => s.kind === 'download' && s.base === base);
}

/** Parses modified_id.csv: `<RFC 3339 time>,<id>` per line (a header line, blank lines and CRs tolerated). */
export function parseModifiedIds(text: string): { modified: string; id: string }[] {
  const out: { modified: string; id: string }[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const comma = line.indexOf(',');
    if (comma < 0) continue;
    const modified = line.slice(0, comma).trim();
    const id = line
      .slice(comma + 1)
      .trim()
      .replace(/^"|"$/g, '');
    if (!id || Number.isNaN(Date.parse(modified))) continue; // a header line
    out.push({ modified, id: id.includes('/') ? id.slice(id.lastIndexOf('/') + 1) : id });
  }
  return out;
}

async function full(writer: DbWriter, base: string, http: HttpContext, opts: UpdateOptions): Promise<UpdateOutcome> {
  const url = zipUrl(opts.baseUrl, base);
  writer.savepoint('full');
  try {
    const stats = await withRetries(
      http,
      url,
      async (res, controller) => {
        writer.removeBase(base);
        try {
          return await readOsvZip(bodyWithIdleTimeout(http, url, res, controller), url, writer.sink());
        } catch (e) {
          if (e instanceof ZipError) throw new HttpError(e.message, 'data', url);
          throw e;
        }
      },
      () => writer.rollbackTo('full'),
    );
    const now = opts.clock().toISOString();
    writer.setSource({
      name: url,
      kind: 'download',
      base,
      records: stats.records,
      skipped: stats.skipped,
      newest_modified: stats.newestModified,
      fetched_at: now,
      full_fetched_at: now,
    });
    writer.release('full');
    return { base, status: 'full', records: stats.records, skipped: stats.skipped };
  } catch (e) {
    writer.rollbackTo('full');
    writer.release('full');
    if (e instanceof HttpError && e.kind === 'status' && e.status === 404) {
      return { base, status: 'absent', message: `OSV publishes no data for ${base} (HTTP 404 at ${url})` };
    }
    if (e instanceof HttpError) return { base, status: 'failed', message: e.message };
    throw e;
  }
}

async function incremental(
  writer: DbWriter,
  base: string,
  since: SourceInfo,
  http: HttpContext,
  opts: UpdateOptions,
): Promise<UpdateOutcome | { fallback: string }> {
  const csvUrl = bucketUrl(opts.baseUrl, base, 'modified_id.csv');
  let rows;
  try {
    rows = parseModifiedIds(await getText(http, csvUrl));
  } catch (e) {
    if (e instanceof HttpError && e.kind !== 'aborted') return { fallback: e.message };
    throw e;
  }
  const newest = since.newest_modified ? modifiedMs(since.newest_modified) : null;
  if (newest === null) return { fallback: 'the cached DB has no newest modified time for it' };
  if (!rows.length) return { fallback: `${csvUrl} lists no records` };
  const wanted = rows.filter((r) => modifiedMs(r.modified) > newest);
  if (wanted.length > opts.maxIncremental) {
    return { fallback: `${wanted.length} records changed (more than ${opts.maxIncremental})` };
  }
  writer.savepoint('incr');
  try {
    let newestSeen = since.newest_modified;
    let next = 0;
    const worker = async () => {
      while (next < wanted.length) {
        const row = wanted[next++]!;
        const url = bucketUrl(opts.baseUrl, base, `${row.id}.json`);
        const text = await getText(http, url);
        let rec;
        try {
          rec = parseRecord(text);
        } catch (e) {
          if (e instanceof RecordError) {
            writer.skip(url, e.message);
            continue;
          }
          throw e;
        }
        writer.replace(rec, base);
        if (!newestSeen || modifiedMs(rec.modified) > modifiedMs(newestSeen)) newestSeen = rec.modified;
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.concurrency, wanted.length) }, worker));
    writer.setSource({ ...since, newest_modified: newestSeen, fetched_at: opts.clock().toISOString() });
    writer.release('incr');
    return { base, status: 'incremental', records: wanted.length };
  } catch (e) {
    writer.rollbackTo('incr');
    writer.release('incr');
    if (e instanceof HttpError && e.kind !== 'aborted') return { fallback: e.message };
    throw e;
  }
}

/**
 * Brings `base` up to date in `writer`: incremental when the DB already has a download of it that is recent
 * enough, otherwise (or when incremental is not possible) a full download. Never throws for HTTP or data
 * problems: the outcome says what happened; on failure the DB is unchanged.
 */
export async function updateBase(
  writer: DbWriter,
  base: string,
  http: HttpContext,
  opts: UpdateOptions,
): Promise<UpdateOutcome> {
  const prev = downloadSource(writer.sourceInfos(), base);
  if (prev) {
    const fullAgeDays = (opts.clock().getTime() - Date.parse(prev.full_fetched_at)) / 86_400_000;
    if (fullAgeDays < opts.fullEveryDays) {
      const r = await incremental(writer, base, prev, http, opts);
      if (!('fallback' in r)) return r;
      http.logger.info(`${base}: incremental refresh not possible (${r.fallback}); downloading all.zip`);
    } else {
      http.logger.info(`${base}: last full download ${fullAgeDays.toFixed(0)} days ago; downloading all.zip`);
    }
  }
  return full(writer, base, http, opts);
}
