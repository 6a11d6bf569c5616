/**
 * Single-pass reading: a stream such as `docker save` stdout (docker.ts) or a compressed archive file is read
 * once. Every blob that looks like a layer (gzip/zstd magic, a tar header) is indexed as it passes, small JSON
 * is kept, and the manifest is resolved at the end (legacy `docker save` writes manifest.json last).
 */
import { BYTES_KB, fmtBytes } from '../util/bytes.js';
import type { Logger } from '../util/logger.js';
import { MAX_JSON, StreamCatalog } from './catalog.js';
import { type BlobKind, decompressor, type FeedStats, inflationGuard, sniff, through } from './compression.js';
import { describeError } from './describe.js';
import { emptyIndex, indexTarStream } from './layer-index.js';
import { normalizeEntryPath } from './paths.js';
import { Aborted, Ctx } from './read-context.js';
import { type LayerResult, layerVisit, notALayer } from './read-layer.js';
import { buildView, missingLayer, resolveOrExplain } from './read-view.js';
import { BLOCK, TarError } from './tar-header.js';
import { walkTarStream } from './tar-stream.js';
import { ImageError, type ImageView, type LayerProblem, type ReadOptions } from './types.js';

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
    return streamCore(
      through(first.source, decompressor(first.kind)!, stats, volatile),
      ctx,
      info,
      null,
      first.kind,
      stats,
      false,
    );
  }
  return streamCore(first.source, ctx, info, null, null, null, volatile);
}

/**
 * Look at the first bytes of a stream and give back a stream that still starts with them, counting every
 * chunk as it is pulled from `src`. A plain iterator rather than generators over generators: each chunk of a
 * `docker save` stream passes here, and every generator layer costs promise turns per chunk. Like the
 * generator it replaces, ending it early does not close `src`.
 */
async function peekStream(
  src: AsyncIterable<Buffer>,
  ctx: Ctx,
): Promise<{ kind: BlobKind; source: AsyncIterable<Buffer> }> {
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

export async function streamCore(
  source: AsyncIterable<Buffer>,
  ctx: Ctx,
  info: { input: string; kind: 'docker' | 'archive' },
  fileSize: number | null,
  outerCompression: BlobKind | null,
  outerStats: FeedStats | null,
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
      throw new ImageError(
        'image_size_exceeded',
        `the image stream passed ${fmtBytes(limit, BYTES_KB)}, the size limit`,
      );
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
            const src = kind === 'tar' ? chunks : through(chunks, decompressor(kind)!, stats, volatile, kind);
            // a plain layer inside a compressed archive is measured by the archive's decompressor
            const inflation = kind === 'tar' ? (outerStats ?? undefined) : stats;
            eofMarker = (
              await indexTarStream(src, ctx.opts.requests, check, holder, layerVisit(ctx, p), ctx.limits, inflation)
            ).eofMarker;
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
          cat.members.set(p, {
            size: 0,
            kind,
            bytes: Buffer.alloc(0),
            layer: { index, error: null, eofMarker: false },
          });
        } else if (kind === 'json' || e.size <= 1 << 20) {
          cat.members.set(p, {
            size: e.size,
            kind,
            bytes: e.size <= MAX_JSON ? Buffer.from(await body.readAll()) : undefined,
          });
        } else {
          cat.members.set(p, { size: e.size, kind });
        }
        check();
      },
      check,
    );
    if (!w.eofMarker) {
      problems.push({
        code: 'archive_corrupt',
        layer: null,
        message: `${info.input}: the archive ends without the tar end-of-archive marker (it may be truncated)`,
      });
    }
  } catch (e) {
    if (e instanceof Aborted) aborted = true;
    else if (e instanceof TarError) {
      if (!sawAnything && e.kind === 'bad_header') {
        throw new ImageError(
          'unsupported_media_type',
          `${info.input} is not a tar archive (nor gzip or zstd compressed)`,
        );
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
    problems.push({
      code: 'collection_time_limit_exceeded',
      layer: null,
      message: 'the time limit stopped the read of the image stream',
    });
  }
  return await buildView(
    r,
    results,
    problems,
    { input: info.input, kind: info.kind, size: fileSize ?? ctx.bytes },
    ctx,
  );
}
