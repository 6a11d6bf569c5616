/**
 * One layer, indexed: the ordered list of what it does (add an entry, white out a path, make a folder opaque)
 * and the bodies of the wanted files it writes. Built from a seekable tar (bodies read only when wanted) or a
 * streamed tar (bodies kept as they pass). Nothing is written to disk.
 */

import { bombLike, type FeedStats, INFLATION_SLACK } from './compression.js';
import { LimitError, ReadLimits } from './limits.js';
import { basenameOf, dirnameOf, joinPath, normalizeEntryPath } from './paths.js';
import type { TarEntry } from './tar-header.js';
import type { PositionalFile } from './tar-seek.js';
import { walkTarSeekable } from './tar-seek.js';
import { type StreamBody, walkTarStream } from './tar-stream.js';
import type { EntryType, FileRequest, FileVisitor, VisitedFile } from './types.js';

/**
 * An entry a layer adds (the op itself: no wrapper object per entry). On the last merge of its layer the merged
 * view keeps this very object as its FileEntry (`layer` set then), so a 2 M-entry layer is not held twice.
 */
export interface LayerEntry {
  op?: undefined;
  path: string;
  type: EntryType;
  size: number;
  mode: number;
  linkname: string | null;
  /** For hard links: the normalised target path. */
  linkTarget?: string;
  /** Regular files of a seekable layer: the offset of the body in the file (read later for hard links). */
  offset?: number;
  /** -1 until the merged view takes this object as its FileEntry. */
  layer: number;
}

export type LayerOp = LayerEntry | { op: 'whiteout'; path: string } | { op: 'opaque'; dir: string };

export interface WantedBody {
  /** null when bigger than the request's maxSize (or, for a hard link, when the target's body is unknown). */
  body: Buffer | null;
  size: number;
  /** Hard link whose target was not read in this layer: resolved against the lower layers at merge time. */
  linkTarget?: string;
}

export interface LayerIndex {
  ops: LayerOp[];
  bodies: Map<string, WantedBody>;
  /** Entries (files, folders, links, others; whiteout markers excluded). */
  entries: number;
  /** Names ignored because they escape the root or are malformed. */
  ignored: string[];
  /** Entries skipped because their path or link target is longer than MAX_PATH_BYTES: how many, the first. */
  tooLong?: { count: number; first: string };
  /** False when the read stopped early (error or time limit); ops hold what was read before. */
  complete: boolean;
  /** An image-wide cap (entries, name bytes) stopped this layer part way: the sentence saying which. */
  limited?: string;
  /** Wanted bodies left out because the image-wide kept-body budget was spent: how many, their bytes, the first. */
  unkept?: { count: number; bytes: number; first: string };
  /** Files of a compressed layer that inflate as a bomb does (read past as filler): how many, the first. */
  bombLike?: { count: number; first: string; size: number; bytesIn: number };
}

export function emptyIndex(): LayerIndex {
  return { ops: [], bodies: new Map(), entries: 0, ignored: [], complete: false };
}

/** Longest path or link target kept, as Linux's PATH_MAX: deeper entries cannot be extracted either. */
export const MAX_PATH_BYTES = 4096;

/** Over MAX_PATH_BYTES in UTF-8 (a UTF-16 unit is at most 3 bytes: short strings are not measured). */
function overPathMax(s: string): boolean {
  return s.length > MAX_PATH_BYTES / 3 && (s.length > MAX_PATH_BYTES || Buffer.byteLength(s) > MAX_PATH_BYTES);
}

/** The largest maxSize among the requests matching the path, or null when none does. */
export function wantedMax(requests: readonly FileRequest[], path: string): number | null {
  let max: number | null = null;
  for (const r of requests) {
    if (r.match(path)) max = max === null ? r.maxSize : Math.max(max, r.maxSize);
  }
  return max;
}

/** What the walk hands the visitors: the layer blob's name and the visitors themselves. */
export interface LayerVisit {
  blob: string;
  visitors: readonly FileVisitor[];
}

/** The visitors that want a regular file (none when there are no visitors: the common, cheap case). */
function visitorsFor(v: LayerVisit | undefined, path: string, e: TarEntry): FileVisitor[] | null {
  if (!v || v.visitors.length === 0 || e.type !== 'file') return null;
  let out: FileVisitor[] | null = null;
  for (const x of v.visitors) if (x.match(path, e.size, e.mode)) (out ??= []).push(x);
  return out;
}

/** A file held in one buffer, for several visitors of one entry (each reads it once). */
function bufferedFile(base: Omit<VisitedFile, 'head' | 'readAll' | 'chunks' | 'readAt'>, body: Buffer): VisitedFile {
  return {
    ...base,
    head: async (n) => body.subarray(0, Math.min(n, body.length)),
    readAll: async () => body,
    chunks: () => ({
      [Symbol.asyncIterator]: async function* () {
        if (body.length) yield body;
      },
    }),
    readAt: async (offset, len) => body.subarray(Math.min(offset, body.length), Math.min(offset + len, body.length)),
  };
}

/** Hand one file to its visitors: the live file to a single one, one shared buffer to several. */
async function callVisitors(visitors: FileVisitor[], file: VisitedFile): Promise<void> {
  if (visitors.length === 1) {
    await visitors[0]!.visit(file);
    return;
  }
  const body = await file.readAll();
  const base = { path: file.path, blob: file.blob, size: file.size, mode: file.mode };
  for (const v of visitors) await v.visit(bufferedFile(base, body));
}

/** Turns tar entries into layer ops; tells the reader which bodies to keep. */
class Indexer {
  readonly index: LayerIndex = emptyIndex();

  constructor(
    private readonly requests: readonly FileRequest[],
    private readonly limits: ReadLimits,
  ) {}

  /** A wanted body the image-wide budget has no room for: recorded, not read. */
  unkept(path: string, size: number): void {
    const u = this.index.unkept;
    if (u) {
      u.count++;
      u.bytes += size;
    } else this.index.unkept = { count: 1, bytes: size, first: path.slice(0, 200) };
    this.index.bodies.set(path, { body: null, size });
  }

  /**
   * Classify an entry; returns the path and size cap when its body should be kept. `offset`: where a regular
   * file's body lies in a seekable file (kept on the entry, for hard links to it).
   */
  entry(e: TarEntry, offset?: number): { path: string; max: number } | null {
    this.lastPath = null;
    const path = normalizeEntryPath(e.name);
    if (path === null) {
      if (this.index.ignored.length < 100) this.index.ignored.push(e.name);
      return null;
    }
    if (path === '') return null; // the root folder itself
    if (overPathMax(path) || ((e.type === 'symlink' || e.type === 'hardlink') && overPathMax(e.linkname))) {
      const t = this.index.tooLong;
      if (t) t.count++;
      else this.index.tooLong = { count: 1, first: path.slice(0, 64) };
      return null;
    }
    this.limits.entry(path.length);
    const base = basenameOf(path);
    if (base.startsWith('.wh.')) {
      const dir = dirnameOf(path);
      if (base === '.wh..wh..opq') this.index.ops.push({ op: 'opaque', dir });
      else if (!base.startsWith('.wh..wh.'))
        this.index.ops.push({ op: 'whiteout', path: joinPath(dir, base.slice(4)) });
      return null; // other .wh..wh. names are aufs bookkeeping
    }
    const entry: LayerEntry = {
      path,
      type: e.type,
      size: e.size,
      mode: e.mode,
      linkname: e.type === 'symlink' || e.type === 'hardlink' ? e.linkname : null,
      layer: -1,
    };
    if (offset !== undefined && e.type === 'file') entry.offset = offset;
    if (e.type === 'hardlink') {
      const target = normalizeEntryPath(e.linkname);
      if (target === null || target === '') {
        if (this.index.ignored.length < 100) this.index.ignored.push(`${e.name} -> ${e.linkname}`);
        return null;
      }
      entry.linkTarget = target;
    }
    this.index.ops.push(entry);
    this.index.entries++;
    this.lastPath = path;
    if (e.type !== 'file' && e.type !== 'hardlink') return null;
    const max = wantedMax(this.requests, path);
    if (e.type === 'hardlink') {
      if (max !== null) {
        const have = this.index.bodies.get(entry.linkTarget!);
        if (have && !have.linkTarget) this.index.bodies.set(path, { body: have.body, size: have.size });
        else this.index.bodies.set(path, { body: null, size: 0, linkTarget: entry.linkTarget! });
      }
      return null;
    }
    if (max === null) return null;
    if (e.size > max) {
      this.index.bodies.set(path, { body: null, size: e.size });
      return null;
    }
    if (!this.limits.keep(e.size)) {
      this.unkept(path, e.size);
      return null;
    }
    return { path, max };
  }

  /** The normalised path of the last entry added (null when it was skipped, a whiteout or the root). */
  lastPath: string | null = null;

  body(path: string, body: Buffer): void {
    this.index.bodies.set(path, { body, size: body.length });
  }
}

/** Index an uncompressed layer tar lying at [base, base+length) of a file: headers and wanted bodies only. */
export async function indexTarSeekable(
  file: PositionalFile,
  base: number,
  length: number,
  requests: readonly FileRequest[],
  checkAbort: () => void,
  out: { index: LayerIndex },
  visit?: LayerVisit,
  limits: ReadLimits = new ReadLimits(),
): Promise<{ eofMarker: boolean }> {
  const ix = new Indexer(requests, limits);
  out.index = ix.index;
  let r: { eofMarker: boolean };
  try {
    r = await walkTarSeekable(
      file,
      base,
      length,
      (e, dataOffset, readBody) => {
        const want = ix.entry(e, dataOffset);
        if (want) ix.body(want.path, readBody());
        const vs = ix.lastPath === null ? null : visitorsFor(visit, ix.lastPath, e);
        if (!vs) return undefined;
        return callVisitors(vs, seekableFile(file, ix.lastPath!, visit!.blob, e, dataOffset));
      },
      checkAbort,
    );
  } catch (e) {
    if (!(e instanceof LimitError)) throw e;
    ix.index.limited = e.message;
    return { eofMarker: false };
  }
  // hard links to files of this layer whose bodies were not kept: read them now (the last file of that path
  // in the layer, as extraction would leave it)
  let files: Map<string, LayerEntry> | null = null;
  for (const [path, wb] of ix.index.bodies) {
    if (!wb.linkTarget) continue;
    if (!files) {
      files = new Map();
      for (const op of ix.index.ops) if (op.op === undefined && op.offset !== undefined) files.set(op.path, op);
    }
    const target = files.get(wb.linkTarget);
    if (!target) continue;
    const loc = { offset: target.offset!, size: target.size };
    const max = wantedMax(requests, path) ?? 0;
    if (loc.size <= max && !limits.keep(loc.size)) {
      ix.unkept(path, loc.size);
      continue;
    }
    const body = loc.size <= max ? Buffer.from(await file.read(loc.offset, loc.size)) : null;
    ix.index.bodies.set(path, { body, size: loc.size });
  }
  ix.index.complete = true;
  return { eofMarker: r.eofMarker };
}

/** Chunk size of a seekable file's body handed to a visitor. */
const VISIT_CHUNK = 256 * 1024;

/** A file of an uncompressed layer lying in a file, for a visitor: read where it lies. */
function seekableFile(file: PositionalFile, path: string, blob: string, e: TarEntry, at: number): VisitedFile {
  const size = e.size;
  const readAt = async (offset: number, len: number): Promise<Buffer> => {
    const from = Math.max(0, Math.min(offset, size));
    const n = Math.max(0, Math.min(len, size - from));
    return n === 0 ? Buffer.alloc(0) : file.readOwned(at + from, n);
  };
  return {
    path,
    blob,
    size,
    mode: e.mode,
    head: (n) => readAt(0, n),
    readAll: () => readAt(0, size),
    chunks: () => ({
      [Symbol.asyncIterator]: async function* () {
        for (let off = 0; off < size; off += VISIT_CHUNK) yield await readAt(off, VISIT_CHUNK);
      },
    }),
    readAt,
  };
}

/** A file of a streamed layer, for a visitor: read as it passes (what the visitor leaves is skipped). */
function streamedFile(body: StreamBody, path: string, blob: string, e: TarEntry, kept: Buffer | null): VisitedFile {
  if (kept) return bufferedFile({ path, blob, size: e.size, mode: e.mode }, kept);
  return {
    path,
    blob,
    size: e.size,
    mode: e.mode,
    head: (n) => body.peek(n).then((b) => Buffer.from(b)),
    readAll: () => body.readAll().then((b) => Buffer.from(b)),
    chunks: () => body.chunks() as AsyncIterable<Buffer>,
    readAt: null,
  };
}

/** Index a layer tar arriving as a stream (decompressed already): wanted bodies are kept as they pass. */
export async function indexTarStream(
  source: AsyncIterable<Buffer>,
  requests: readonly FileRequest[],
  checkAbort: () => void,
  out: { index: LayerIndex },
  visit?: LayerVisit,
  limits: ReadLimits = new ReadLimits(),
  /** The decompressor's counts, when the layer is compressed: files that inflate as bombs do are said so. */
  inflation?: FeedStats,
): Promise<{ eofMarker: boolean; bytes: number }> {
  const ix = new Indexer(requests, limits);
  out.index = ix.index;
  // a big file of a compressed layer, measured when the walk has gone past it
  let big: { path: string; size: number; inAt: number } | null = null;
  const settleBig = () => {
    if (!big || !inflation) return;
    const took = inflation.bytesIn - big.inAt;
    if (bombLike(big.size, took)) {
      const b = ix.index.bombLike;
      if (b) b.count++;
      else ix.index.bombLike = { count: 1, first: big.path.slice(0, 200), size: big.size, bytesIn: took };
    }
    big = null;
  };
  let r: { eofMarker: boolean; bytes: number };
  try {
    r = await walkTarStream(
      source,
      (e, body) => {
        settleBig();
        const want = ix.entry(e);
        if (inflation && e.type === 'file' && e.size > INFLATION_SLACK && ix.lastPath !== null)
          big = { path: ix.lastPath, size: e.size, inAt: inflation.bytesIn };
        const vs = ix.lastPath === null ? null : visitorsFor(visit, ix.lastPath, e);
        if (!want && !vs) return undefined; // unwanted bodies are skipped by the walker, no promise needed
        if (!vs) return body.readAll().then((b) => ix.body(want!.path, Buffer.from(b)));
        const path = ix.lastPath!;
        return (async () => {
          let kept: Buffer | null = null;
          if (want) {
            kept = Buffer.from(await body.readAll());
            ix.body(want.path, kept);
          }
          await callVisitors(vs, streamedFile(body, path, visit!.blob, e, kept));
        })();
      },
      checkAbort,
    );
  } catch (e) {
    if (!(e instanceof LimitError)) throw e;
    ix.index.limited = e.message;
    return { eofMarker: false, bytes: 0 };
  }
  settleBig();
  ix.index.complete = true;
  return r;
}
