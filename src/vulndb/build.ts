/**
 * Building a DB from OSV inputs: zip files, zip streams (downloads), loose JSON files, folders laid out as OSV
 * publishes them. Used by `scanrook db build --from DIR --out FILE`, by `db-path` folders and by downloads.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Logger } from '../util/logger.js';
import { newerModified } from './dates.js';
import type { EnrichmentData } from './enrich/data.js';
import { folderEcosystem, listOsvFolder, readFolderFile, readOsvJsonFile } from './read-folder.js';
import { type ReadStats, type RecordSink, readOsvZip, readOsvZipFile } from './read-zip.js';
import type { SourceInfo } from './schema.js';
import { DbWriter } from './store-writer.js';

export type DbInput =
  /** An OSV zip on disk; `base` is its bucket folder when known. */
  | { kind: 'zip'; path: string; name?: string; base?: string }
  /** An OSV zip as a stream of bytes (a download). */
  | { kind: 'zip-stream'; name: string; chunks: AsyncIterable<Uint8Array>; base?: string; download?: boolean }
  /** One loose OSV record. */
  | { kind: 'json'; path: string; name?: string }
  /** A folder laid out as OSV publishes (`<Ecosystem>/all.zip`, loose `*.json`, recursively). */
  | { kind: 'folder'; path: string };

export interface BuildOptions {
  /** DbMeta.source. */
  source: string;
  /** Ecosystems to keep (undefined: all). */
  ecosystems?: readonly string[];
  clock?: () => Date;
  logger?: Logger;
  /** NVD / EPSS / KEV data to join in (`db build --nvd/--epss/--kev`; src/vulndb/enrich/). */
  enrichment?: EnrichmentData | null;
  /** Called after each zip / JSON file / folder group is read (figures for tests and `--verbose`). */
  onRead?: (name: string, stats: ReadStats, ms: number) => void;
  /** The scan's time limit: checked per input, per folder file and per record; the build throws BuildAborted. */
  signal?: AbortSignal;
}

/** The build was stopped by BuildOptions.signal (the scan's time limit). */
export class BuildAborted extends Error {
  constructor() {
    super('the time limit stopped building the vulnerability DB');
    this.name = 'BuildAborted';
  }
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new BuildAborted();
}

/** The writer's sink, refusing records once the signal is aborted (a large zip stops within one record). */
function abortableSink(sink: RecordSink, signal: AbortSignal | undefined): RecordSink {
  if (!signal) return sink;
  return {
    record: (rec, file) => {
      checkAbort(signal);
      sink.record(rec, file);
    },
    skip: (file, reason) => sink.skip(file, reason),
    stopped: () => signal.aborted,
  };
}

function sourceInfo(
  name: string,
  stats: ReadStats,
  fetchedAt: string,
  kind: SourceInfo['kind'],
  base?: string,
): SourceInfo {
  const info: SourceInfo = {
    name,
    kind,
    records: stats.records,
    skipped: stats.skipped,
    newest_modified: stats.newestModified,
    fetched_at: fetchedAt,
    full_fetched_at: fetchedAt,
  };
  if (base) info.base = base;
  return info;
}

/** Reads the inputs into a writer (shared by buildDb and refreshes). Throws on a truncated/corrupt zip. */
export async function readInputs(writer: DbWriter, inputs: readonly DbInput[], opts: BuildOptions): Promise<void> {
  const clock = opts.clock ?? (() => new Date());
  const sink = abortableSink(writer.sink(), opts.signal);
  for (const input of inputs) {
    checkAbort(opts.signal);
    const t0 = performance.now();
    if (input.kind === 'zip') {
      const name = input.name ?? input.path;
      const mtime = (await stat(input.path)).mtime.toISOString();
      const stats = await readOsvZipFile(input.path, sink, name);
      writer.setSource(sourceInfo(name, stats, mtime, 'file', input.base));
      opts.onRead?.(name, stats, performance.now() - t0);
    } else if (input.kind === 'zip-stream') {
      const stats = await readOsvZip(input.chunks, input.name, sink);
      writer.setSource(
        sourceInfo(input.name, stats, clock().toISOString(), input.download ? 'download' : 'file', input.base),
      );
      opts.onRead?.(input.name, stats, performance.now() - t0);
    } else if (input.kind === 'json') {
      const name = input.name ?? input.path;
      const mtime = (await stat(input.path)).mtime.toISOString();
      const stats = await readOsvJsonFile(input.path, name, sink);
      writer.setSource(sourceInfo(name, stats, mtime, 'file'));
      opts.onRead?.(name, stats, performance.now() - t0);
    } else {
      await readFolder(writer, input.path, opts);
    }
  }
}

async function readFolder(writer: DbWriter, dir: string, opts: BuildOptions): Promise<void> {
  let files;
  try {
    files = await listOsvFolder(dir);
  } catch (e) {
    throw new Error(`${dir}: cannot read the folder: ${(e as Error).message}`);
  }
  if (!files.length) throw new Error(`${dir}: no OSV data in it (no all.zip, no *.json records)`);
  const sink = abortableSink(writer.sink(), opts.signal);
  // Loose JSON files are grouped per top folder into one source each.
  const loose = new Map<string, { stats: ReadStats; newestMtime: number; ms: number }>();
  for (const f of files) {
    checkAbort(opts.signal);
    const t0 = performance.now();
    const stats = await readFolderFile(f, sink);
    const base = folderEcosystem(f.rel);
    if (f.kind === 'zip') {
      writer.setSource(sourceInfo(f.rel, stats, new Date(f.mtimeMs).toISOString(), 'file', base));
      opts.onRead?.(f.rel, stats, performance.now() - t0);
    } else {
      const key = base ?? '.';
      const g = loose.get(key) ?? {
        stats: { entries: 0, records: 0, skipped: 0, ignored: 0, bytes: 0, newestModified: null },
        newestMtime: 0,
        ms: 0,
      };
      g.stats.entries += stats.entries;
      g.stats.records += stats.records;
      g.stats.skipped += stats.skipped;
      g.stats.bytes += stats.bytes;
      if (stats.newestModified) g.stats.newestModified = newerModified(g.stats.newestModified, stats.newestModified);
      g.newestMtime = Math.max(g.newestMtime, f.mtimeMs);
      g.ms += performance.now() - t0;
      loose.set(key, g);
    }
  }
  for (const [key, g] of loose) {
    const name = key === '.' ? 'loose JSON' : `${key}/**/*.json`;
    writer.setSource(
      sourceInfo(name, g.stats, new Date(g.newestMtime).toISOString(), 'file', key === '.' ? undefined : key),
    );
    opts.onRead?.(name, g.stats, g.ms);
  }
}

/** Builds a DB from the inputs and returns the DB file's bytes. A truncated or corrupt zip is an error. */
export async function buildDb(inputs: readonly DbInput[], opts: BuildOptions): Promise<Uint8Array> {
  const writer = await DbWriter.create({ source: opts.source, ecosystems: opts.ecosystems, clock: opts.clock });
  try {
    await readInputs(writer, inputs, opts);
    if (opts.enrichment) writer.setEnrichment(opts.enrichment);
    return writer.finish();
  } catch (e) {
    writer.abort();
    // a record refused by the signal surfaces wrapped (e.g. as a corrupt zip): say what stopped it
    if (opts.signal?.aborted) throw new BuildAborted();
    throw e;
  }
}

/** `scanrook db build --from DIR --out FILE`: every all.zip and loose *.json under DIR, all ecosystems. */
export async function buildDbFromFolder(dir: string, opts: Partial<BuildOptions> = {}): Promise<Uint8Array> {
  const abs = resolve(dir);
  let s;
  try {
    s = await stat(abs);
  } catch {
    throw new Error(`${dir}: no such folder`);
  }
  if (!s.isDirectory()) throw new Error(`${dir}: not a folder`);
  return buildDb([{ kind: 'folder', path: abs }], { ...opts, source: opts.source ?? abs });
}
