/**
 * Reading a folder laid out as OSV publishes it: `<Ecosystem>/all.zip` files and/or loose `*.json` records,
 * found recursively. Other files (raw upstream sources, other zips, READMEs) are not records and are ignored.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { newerModified } from './dates.js';
import { MAX_RECORD_BYTES, type ReadStats, type RecordSink, readOsvZipFile } from './read-zip.js';
import { parseRecord, RecordError } from './reduce.js';

export interface FolderFile {
  path: string;
  /** Path relative to the folder, `/`-separated. */
  rel: string;
  kind: 'zip' | 'json';
  mtimeMs: number;
}

/** The OSV files under `dir` (sorted by relative path): every `all.zip` and every `*.json`. */
export async function listOsvFolder(dir: string): Promise<FolderFile[]> {
  const out: FolderFile[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        await walk(p);
      } else if (e.isFile() || e.isSymbolicLink()) {
        const lower = e.name.toLowerCase();
        const kind = lower === 'all.zip' ? 'zip' : lower.endsWith('.json') ? 'json' : null;
        if (!kind) continue;
        const s = await stat(p);
        if (!s.isFile()) continue;
        out.push({ path: p, rel: relative(dir, p).split(/[\\/]/).join('/'), kind, mtimeMs: s.mtimeMs });
      }
    }
  };
  await walk(dir);
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** The bucket folder a file sits in (`Debian/all.zip` → `Debian`), or undefined at the top. */
export function folderEcosystem(rel: string): string | undefined {
  const parts = rel.split('/');
  return parts.length > 1 ? parts[0] : undefined;
}

/** Reads one loose JSON record file into the sink. */
export async function readOsvJsonFile(path: string, label: string, sink: RecordSink): Promise<ReadStats> {
  const stats: ReadStats = { entries: 1, records: 0, skipped: 0, ignored: 0, bytes: 0, newestModified: null };
  try {
    const s = await stat(path);
    stats.bytes = s.size;
    if (s.size > MAX_RECORD_BYTES) throw new RecordError(`larger than ${MAX_RECORD_BYTES} bytes`);
    const rec = parseRecord(await readFile(path));
    stats.records = 1;
    stats.newestModified = newerModified(null, rec.modified);
    sink.record(rec, label);
  } catch (e) {
    const reason = e instanceof RecordError ? e.message : `cannot read: ${(e as Error).message}`;
    stats.skipped = 1;
    sink.skip(label, reason);
  }
  return stats;
}

/** Reads one folder file (zip or json) into the sink; labels are relative to `dir`. */
export function readFolderFile(f: FolderFile, sink: RecordSink): Promise<ReadStats> {
  return f.kind === 'zip' ? readOsvZipFile(f.path, sink, f.rel) : readOsvJsonFile(f.path, f.rel, sink);
}
