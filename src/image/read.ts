/**
 * Entry points of the image reader: an archive file (tar, tar.gz/zst) or an OCI layout folder
 * (`readImageFromPath`), or a single-pass stream such as `docker save` stdout (`readImageFromStream`).
 *
 * Files with a plain outer tar are read in seekable mode: only tar headers and wanted bodies are read from
 * uncompressed layers, compressed layers are decompressed concurrently (zlib runs on libuv's thread pool),
 * then the layers are merged in order. Streams are read once: every blob that looks like a layer (gzip/zstd
 * magic, a tar header) is indexed as it passes, small JSON is kept, and the manifest is resolved at the end
 * (legacy `docker save` writes manifest.json last).
 */
import { createReadStream, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import type { LayerInfo, TargetInfo } from '../model/report.js';
import type { Logger } from '../util/logger.js';
import { ImageError, type ImageView, type LayerProblem, type ReadOptions } from './types.js';
import { ArchiveCatalog, FolderCatalog, StreamCatalog, type Catalog } from './catalog.js';
import { decompressor, inflationGuard, sniff, through, type BlobKind, type FeedStats } from './compression.js';
import { historyIndexes } from './config.js';
import { describeError, fmtBytes, layerLabel } from './describe.js';
import { emptyIndex, indexTarSeekable, indexTarStream, type LayerIndex } from './layer-index.js';
import { MergedTree } from './merged-view.js';
import { normalizeEntryPath } from './paths.js';
import { resolveImage, type ResolvedImage } from './resolve.js';
import { BLOCK, TarError } from './tar-header.js';
import { PositionalFile, walkTarSeekable } from './tar-seek.js';
import { walkTarStream } from './tar-stream.js';

/** Thrown inside the reader when opts.signal aborts; never escapes. */
class Aborted extends Error {}

class Ctx {
  bytes = 0;
  private lastReport = 0;
  constructor(
    readonly opts: ReadOptions,
    readonly logger: Logger,
  ) {}
  readonly check = (): void => {
    if (this.opts.signal?.aborted) throw new Aborted('aborted');
  };
  progress(bytes: number): void {
    this.bytes = bytes;
    if (this.opts.onProgress && (bytes - this.lastReport >= 1 << 20 || bytes < this.lastReport)) {
      this.lastReport = bytes;
      this.opts.onProgress(bytes);
    }
  }
  add(n: number): void {
    this.progress(this.bytes + n);
  }
}

interface LayerResult {
  index: LayerIndex;
  error: string | null;
  aborted: boolean;
}

/**
 * Read size for compressed data (layers inflated concurrently, a compressed archive): 256 KiB. 1 MiB reads
 * were no faster and, with up to CONCURRENCY layers in flight, raised peak RSS by about 12 MB (Node 24).
 */
const READ_CHUNK = 256 * 1024;

const CONCURRENCY = Math.max(2, Math.min(4, (os.availableParallelism?.() ?? os.cpus().length) || 2));

async function pool<T>(n: number, limit: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      out[i] = await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
  return out;
}

async function* counted(src: AsyncIterable<Buffer>, ctx: Ctx): AsyncGenerator<Buffer> {
  for await (const c of src) {
    ctx.add(c.length);
    yield c;
  }
}

/** Index one layer blob lying in a file at [offset, offset+size). */
async function indexFileLayer(
  file: PositionalFile,
  path: string,
  offset: number,
  size: number,
  ctx: Ctx,
): Promise<LayerResult> {
  const holder = { index: emptyIndex() };
  if (size === 0) {
    holder.index.complete = true;
    return { index: holder.index, error: null, aborted: false };
  }
  const head = await file.read(offset, Math.min(size, BLOCK));
  const kind = sniff(head);
  const stats: FeedStats = { bytesIn: 0, guard: inflationGuard() };
  try {
    if (kind === 'tar') {
      await indexTarSeekable(file, offset, size, ctx.opts.requests, ctx.check, holder);
    } else if (kind === 'gzip' || kind === 'zstd') {
      const raw = counted(createReadStream(path, { start: offset, end: offset + size - 1, highWaterMark: READ_CHUNK }), ctx);
      await indexTarStream(through(raw, decompressor(kind)!, stats), ctx.opts.requests, ctx.check, holder);
    } else {
      return { index: holder.index, error: notALayer(kind, head), aborted: false };
    }
    return { index: holder.index, error: null, aborted: false };
  } catch (e) {
    if (e instanceof Aborted) return { index: holder.index, error: null, aborted: true };
    return { index: holder.index, error: describeError(e, kind, stats.bytesIn), aborted: false };
  }
}

function notALayer(kind: BlobKind, head: Buffer): string {
  if (kind === 'json') return 'the blob is JSON, not a layer';
  if (head.length < BLOCK) return `the blob is ${head.length} bytes, too short for a tar, gzip or zstd layer`;
  return 'not a tar, gzip or zstd layer (bad tar header checksum at byte 0)';
}

/** Turn the resolved image and its indexed layers into the view. */
function buildView(
  r: ResolvedImage,
  results: (LayerResult | null)[],
  problems: LayerProblem[],
  target: { input: string; kind: TargetInfo['kind']; size: number },
  ctx: Ctx,
): ImageView {
  const n = r.layers.length;
  const hist = historyIndexes(r.config.history, n);
  const tree = new MergedTree();
  const layers: LayerInfo[] = [];
  let abortedNoted = false;
  for (let i = 0; i < n; i++) {
    const l = r.layers[i]!;
    const res = results[i];
    const label = layerLabel(i, n, l.digest ?? l.diffId);
    if (res?.error) problems.push({ code: 'archive_corrupt', layer: i, message: `${label}: ${res.error}` });
    if (res?.aborted || (res === null && ctx.opts.signal?.aborted)) {
      if (!abortedNoted) {
        problems.push({
          code: 'collection_time_limit_exceeded',
          layer: i,
          message: `the time limit stopped the read in ${label}; later content is missing`,
        });
        abortedNoted = true;
      }
    }
    if (res) {
      if (res.index.ignored.length) {
        ctx.logger.warn(`${label}: ignored ${res.index.ignored.length} entries whose paths leave the image root (e.g. ${res.index.ignored[0]})`);
      }
      tree.apply(i, res.index, ctx.logger);
    }
    const hi = hist[i] ?? null;
    layers.push({
      index: i,
      digest: l.digest,
      diff_id: l.diffId,
      media_type: l.mediaType,
      size: l.size,
      created_by: hi === null ? null : r.config.history[hi]?.created_by ?? null,
      history_index: hi,
      entries: res?.index.entries ?? 0,
    });
  }
  const targetInfo: TargetInfo = {
    input: target.input,
    kind: target.kind,
    format: r.format,
    refs: r.refs,
    image_id: r.imageId,
    manifest_digest: r.manifestDigest,
    platform: r.platform,
    selection: r.selection,
    size_bytes: target.size,
    created: r.config.created,
    architecture: r.config.architecture,
    env: r.config.env,
    labels: r.config.labels,
    layers,
    history: r.config.history,
  };
  ctx.opts.onProgress?.(ctx.bytes);
  return { target: targetInfo, layers, files: tree, problems };
}

/** Resolve, turning resolution failures after a cut / a stop into the right error. */
async function resolveOrExplain(
  cat: Catalog,
  ctx: Ctx,
  folder: boolean,
  outerError: string | null,
  aborted: boolean,
): Promise<ResolvedImage> {
  try {
    return await resolveImage(cat, ctx.opts, ctx.logger, folder);
  } catch (e) {
    if (!(e instanceof ImageError)) throw e;
    if (aborted) {
      throw new ImageError('collection_time_limit_exceeded', `the time limit stopped the read before the image manifest was found (${e.message})`);
    }
    if (outerError) throw new ImageError('archive_corrupt', `${outerError}; ${e.message}`);
    throw e;
  }
}

function missingLayer(r: ResolvedImage, i: number, outerError: string | null, aborted: boolean): LayerProblem | null {
  const l = r.layers[i]!;
  const label = layerLabel(i, r.layers.length, l.digest ?? l.diffId);
  if (aborted) return null;
  if (outerError) return { code: 'archive_corrupt', layer: i, message: `${label} (${l.path}) is missing: ${outerError}` };
  throw new ImageError('archive_corrupt', `the manifest names ${label} (${l.path}), which is not in the archive`);
}

/** Read an image archive file (tar, tar.gz, tar.zst) or an OCI layout folder. */
export async function readImageFromPath(path: string, opts: ReadOptions, logger: Logger): Promise<ImageView> {
  return (await readImageFromPathDetailed(path, opts, logger)).view;
}

/** As readImageFromPath, also giving the bytes actually read from disk (for tests and benchmarks). */
export async function readImageFromPathDetailed(
  path: string,
  opts: ReadOptions,
  logger: Logger,
): Promise<{ view: ImageView; bytesRead: number }> {
  let st;
  try {
    st = await fsp.stat(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new ImageError('file_not_found', code === 'ENOENT' ? `${path} does not exist` : `${path} cannot be read (${code ?? 'error'})`);
  }
  const ctx = new Ctx(opts, logger);
  if (st.isDirectory()) {
    const view = await readFolder(path, ctx);
    return { view, bytesRead: ctx.bytes };
  }
  if (!st.isFile()) throw new ImageError('unsupported_media_type', `${path} is not a regular file or a folder`);
  if (st.size === 0) throw new ImageError('unsupported_media_type', `${path} is empty (0 bytes), not an image archive`);
  if (opts.maxImageSize && st.size > opts.maxImageSize) {
    throw new ImageError('image_size_exceeded', `${path} is ${fmtBytes(st.size)}, over the limit of ${fmtBytes(opts.maxImageSize)}`);
  }
  let fh;
  try {
    fh = await fsp.open(path, 'r');
  } catch (e) {
    throw new ImageError('file_not_found', `${path} cannot be opened (${(e as { code?: string }).code ?? 'error'})`);
  }
  try {
    const file = new PositionalFile(fh, st.size, (b) => ctx.progress(b));
    const head = await file.read(0, BLOCK);
    const kind = sniff(head);
    if (kind === 'gzip' || kind === 'zstd') {
      const stats: FeedStats = { bytesIn: 0, guard: inflationGuard() };
      const raw = createReadStream(path, { highWaterMark: READ_CHUNK });
      const inner = through(counted(raw, ctx), decompressor(kind)!, stats);
      const view = await streamCore(inner, ctx, { input: path, kind: 'archive' }, st.size, kind, stats, false);
      return { view, bytesRead: ctx.bytes };
    }
    if (kind !== 'tar') {
      if (head.length < BLOCK && head.length > 262 && head.toString('latin1', 257, 262) === 'ustar') {
        throw new ImageError('archive_corrupt', `${path} is a tar archive cut short inside its first header (${head.length} bytes)`);
      }
      throw new ImageError('unsupported_media_type', `${path} is not a tar archive (nor gzip or zstd compressed)`);
    }
    const view = await readArchiveFile(path, file, st.size, ctx);
    return { view, bytesRead: file.bytesRead };
  } finally {
    await fh.close();
  }
}

async function readArchiveFile(path: string, file: PositionalFile, size: number, ctx: Ctx): Promise<ImageView> {
  const cat = new ArchiveCatalog(file);
  let outerError: string | null = null;
  let aborted = false;
  const problems: LayerProblem[] = [];
  try {
    const w = await walkTarSeekable(
      file,
      0,
      size,
      (e, dataOffset) => {
        const p = normalizeEntryPath(e.name);
        if (!p) return;
        if (e.type === 'file') cat.members.set(p, { offset: dataOffset, size: e.size });
        else if (e.type === 'symlink' || e.type === 'hardlink') cat.addLink(p, e.linkname, e.type === 'hardlink');
      },
      ctx.check,
    );
    if (!w.eofMarker) {
      problems.push({ code: 'archive_corrupt', layer: null, message: `${path} ends without the tar end-of-archive marker (it may be truncated)` });
    }
  } catch (e) {
    if (e instanceof Aborted) aborted = true;
    else if (e instanceof TarError) outerError = `the archive is ${e.kind === 'truncated' ? 'truncated' : 'corrupt'} (${e.message})`;
    else throw e;
  }
  const r = await resolveOrExplain(cat, ctx, false, outerError, aborted);
  if (outerError) problems.push({ code: 'archive_corrupt', layer: null, message: outerError });
  const results = await pool(r.layers.length, CONCURRENCY, async (i): Promise<LayerResult | null> => {
    const l = r.layers[i]!;
    if (!l.member) {
      const p = missingLayer(r, i, outerError, aborted || !!ctx.opts.signal?.aborted);
      if (p) problems.push(p);
      return null;
    }
    if (ctx.opts.signal?.aborted) return { index: emptyIndex(), error: null, aborted: true };
    const m = cat.members.get(l.member)!;
    return indexFileLayer(file, path, m.offset, m.size, ctx);
  });
  if (aborted) problems.push({ code: 'collection_time_limit_exceeded', layer: null, message: 'the time limit stopped the read of the archive' });
  return buildView(r, results, problems, { input: path, kind: 'archive', size }, ctx);
}

async function readFolder(path: string, ctx: Ctx): Promise<ImageView> {
  const cat = new FolderCatalog(path);
  try {
    await cat.scan();
  } catch (e) {
    throw new ImageError('file_not_found', `${path} cannot be read (${(e as { code?: string }).code ?? 'error'})`);
  }
  if (!cat.find('index.json') && !cat.find('manifest.json')) {
    throw new ImageError('unsupported_media_type', `${path} is a folder but not an OCI image layout (no index.json)`);
  }
  const r = await resolveOrExplain(cat, ctx, true, null, false);
  const total = r.layers.reduce((s, l) => s + l.size, 0);
  if (ctx.opts.maxImageSize && total > ctx.opts.maxImageSize) {
    throw new ImageError('image_size_exceeded', `the image's layers take ${fmtBytes(total)}, over the limit of ${fmtBytes(ctx.opts.maxImageSize)}`);
  }
  const problems: LayerProblem[] = [];
  const results = await pool(r.layers.length, CONCURRENCY, async (i): Promise<LayerResult | null> => {
    const l = r.layers[i]!;
    if (!l.member) {
      missingLayer(r, i, null, false);
      return null;
    }
    if (ctx.opts.signal?.aborted) return { index: emptyIndex(), error: null, aborted: true };
    const full = cat.fullPath(l.member);
    const fh = await fsp.open(full, 'r');
    try {
      const size = (await fh.stat()).size;
      return await indexFileLayer(new PositionalFile(fh, size, () => undefined), full, 0, size, ctx);
    } finally {
      await fh.close();
    }
  });
  return buildView(r, results, problems, { input: path, kind: 'oci-layout', size: total }, ctx);
}

/**
 * Read an image from a single-pass stream: `docker save` stdout, or a gzipped archive. A `volatile` source gives
 * chunks that are valid only until its next `next()` (a ring of reused buffers, chunk-ring.ts): every byte
 * kept past that point is copied first.
 */
export async function readImageFromStream(
  stream: AsyncIterable<Buffer> & { readonly volatile?: boolean },
  opts: ReadOptions,
  logger: Logger,
  info: { input: string; kind: 'docker' | 'archive' },
): Promise<ImageView> {
  const ctx = new Ctx(opts, logger);
  const volatile = stream.volatile === true;
  // a gzip/zstd-compressed archive stream is decompressed on the fly
  const first = await peekStream(stream, ctx);
  if (first.kind === 'gzip' || first.kind === 'zstd') {
    const stats: FeedStats = { bytesIn: 0, guard: inflationGuard() };
    return streamCore(through(first.source, decompressor(first.kind)!, stats, volatile), ctx, info, null, first.kind, stats, false);
  }
  return streamCore(first.source, ctx, info, null, null, null, volatile);
}

/**
 * Look at the first bytes of a stream and give back a stream that still starts with them, counting every
 * chunk as it is pulled from `src`. A plain iterator rather than generators over generators: each chunk of a
 * `docker save` stream passes here, and every generator layer costs promise turns per chunk. Like the
 * generator it replaces, ending it early does not close `src`.
 */
async function peekStream(src: AsyncIterable<Buffer>, ctx: Ctx): Promise<{ kind: BlobKind; source: AsyncIterable<Buffer> }> {
  const it = src[Symbol.asyncIterator]();
  const got: Buffer[] = [];
  let len = 0;
  let done = false;
  while (len < BLOCK) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    // copied: a volatile source may reuse this chunk's memory at its next next()
    const b = Buffer.from(r.value);
    ctx.add(b.length);
    got.push(b);
    len += b.length;
  }
  const headBuf = got.length === 1 ? got[0]! : Buffer.concat(got); // each is a copy already
  let head: Buffer | null = headBuf.length ? headBuf : null;
  const end: IteratorReturnResult<undefined> = { done: true, value: undefined };
  const iterator: AsyncIterator<Buffer, undefined> = {
    next: async () => {
      if (head) {
        const h = head;
        head = null;
        return { done: false, value: h };
      }
      if (done) return end;
      const r = await it.next();
      if (r.done) {
        done = true;
        return end;
      }
      const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
      ctx.add(b.length);
      return { done: false, value: b };
    },
    return: async () => {
      head = null;
      done = true;
      return end;
    },
  };
  return { kind: sniff(headBuf), source: { [Symbol.asyncIterator]: () => iterator } };
}

async function streamCore(
  source: AsyncIterable<Buffer>,
  ctx: Ctx,
  info: { input: string; kind: 'docker' | 'archive' },
  fileSize: number | null,
  outerCompression: BlobKind | null,
  outerStats: { bytesIn: number } | null,
  /** The source's chunks are valid only until its next next(): whatever is kept longer is copied. */
  volatile: boolean,
): Promise<ImageView> {
  const cat = new StreamCatalog();
  const problems: LayerProblem[] = [];
  let outerError: string | null = null;
  let aborted = false;
  let sawAnything = false;
  const limit = ctx.opts.maxImageSize ?? 0;
  const check = () => {
    ctx.check();
    if (limit && fileSize === null && ctx.bytes > limit) {
      throw new ImageError('image_size_exceeded', `the image stream passed ${fmtBytes(limit)}, the size limit`);
    }
  };
  try {
    const w = await walkTarStream(
      source,
      async (e, body) => {
        sawAnything = true;
        const p = normalizeEntryPath(e.name);
        if (!p) return;
        if (e.type === 'symlink' || e.type === 'hardlink') {
          cat.addLink(p, e.linkname, e.type === 'hardlink');
          return;
        }
        if (e.type !== 'file') return;
        const head = await body.peek(BLOCK);
        let kind = sniff(head);
        if (kind === 'empty' && e.size > 0) kind = 'unknown';
        if (kind === 'tar' || kind === 'gzip' || kind === 'zstd') {
          const holder = { index: emptyIndex() };
          const stats: FeedStats = { bytesIn: 0, guard: inflationGuard() };
          let error: string | null = null;
          let eofMarker = false;
          try {
            const chunks = body.chunks() as AsyncIterable<Buffer>;
            const src = kind === 'tar' ? chunks : through(chunks, decompressor(kind)!, stats, volatile);
            eofMarker = (await indexTarStream(src, ctx.opts.requests, check, holder)).eofMarker;
          } catch (err) {
            if (err instanceof Aborted || err instanceof ImageError) {
              cat.members.set(p, { size: e.size, kind, layer: { index: holder.index, error: null, eofMarker } });
              throw err;
            }
            error = describeError(err, kind, kind === 'tar' ? body.consumed : stats.bytesIn);
          }
          cat.members.set(p, { size: e.size, kind, layer: { index: holder.index, error, eofMarker } });
        } else if (kind === 'empty') {
          const index = emptyIndex();
          index.complete = true;
          cat.members.set(p, { size: 0, kind, bytes: Buffer.alloc(0), layer: { index, error: null, eofMarker: false } });
        } else if (kind === 'json' || e.size <= 1 << 20) {
          cat.members.set(p, { size: e.size, kind, bytes: e.size <= 32 << 20 ? Buffer.from(await body.readAll()) : undefined });
        } else {
          cat.members.set(p, { size: e.size, kind });
        }
        check();
      },
      check,
    );
    if (!w.eofMarker) {
      problems.push({ code: 'archive_corrupt', layer: null, message: `${info.input}: the archive ends without the tar end-of-archive marker (it may be truncated)` });
    }
  } catch (e) {
    if (e instanceof Aborted) aborted = true;
    else if (e instanceof TarError) {
      if (!sawAnything && e.kind === 'bad_header') {
        throw new ImageError('unsupported_media_type', `${info.input} is not a tar archive (nor gzip or zstd compressed)`);
      }
      outerError = `the archive is ${e.kind === 'truncated' ? 'truncated' : 'corrupt'} (${e.message})`;
    } else if (e instanceof ImageError) throw e;
    else if (outerCompression) {
      outerError = `the archive's ${describeError(e, outerCompression, outerStats?.bytesIn ?? 0)}`;
    } else throw e;
  }
  if (!sawAnything && !aborted) {
    throw new ImageError(
      outerError ? 'archive_corrupt' : 'unsupported_media_type',
      outerError ? `${info.input}: ${outerError}` : `${info.input} holds no files: not an image archive`,
    );
  }
  const r = await resolveOrExplain(cat, ctx, false, outerError, aborted);
  if (outerError) problems.push({ code: 'archive_corrupt', layer: null, message: outerError });
  const results: (LayerResult | null)[] = r.layers.map((l, i) => {
    const m = l.member ? cat.members.get(l.member) : undefined;
    if (!m) {
      const p = missingLayer(r, i, outerError, aborted);
      if (p) problems.push(p);
      return null;
    }
    if (!m.layer) {
      return { index: emptyIndex(), error: notALayer(m.kind, m.bytes ?? Buffer.alloc(BLOCK)), aborted: false };
    }
    const partial = !m.layer.index.complete && !m.layer.error;
    return { index: m.layer.index, error: m.layer.error, aborted: partial && aborted };
  });
  if (aborted && !results.some((x) => x?.aborted)) {
    problems.push({ code: 'collection_time_limit_exceeded', layer: null, message: 'the time limit stopped the read of the image stream' });
  }
  return buildView(r, results, problems, { input: info.input, kind: info.kind, size: fileSize ?? ctx.bytes }, ctx);
}
