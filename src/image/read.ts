/**
 * The image reader's entry point for a path: an archive file (tar, tar.gz/zst) or an OCI layout folder
 * (`readImageFromPath`). Streams such as `docker save` stdout enter at `readImageFromStream` (read-stream.ts).
 *
 * Files with a plain outer tar are read in seekable mode (read-archive.ts): only tar headers and wanted bodies
 * are read from uncompressed layers, compressed layers are decompressed concurrently (zlib runs on libuv's
 * thread pool), then the layers are merged in order (read-view.ts). A compressed archive file is read once,
 * as a stream (read-stream.ts); an OCI layout folder's layers are files of their own (read-folder.ts).
 */
import { createReadStream, promises as fsp } from 'node:fs';
import { BYTES_KB, fmtBytes } from '../util/bytes.js';
import type { Logger } from '../util/logger.js';
import { decompressor, type FeedStats, inflationGuard, sniff, through } from './compression.js';
import { readArchiveFile } from './read-archive.js';
import { Ctx } from './read-context.js';
import { readFolder } from './read-folder.js';
import { counted, READ_CHUNK } from './read-layer.js';
import { streamCore } from './read-stream.js';
import { BLOCK } from './tar-header.js';
import { PositionalFile } from './tar-seek.js';
import { ImageError, type ImageView, type ReadOptions } from './types.js';

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
    throw new ImageError(
      'file_not_found',
      code === 'ENOENT' ? `${path} does not exist` : `${path} cannot be read (${code ?? 'error'})`,
    );
  }
  const ctx = new Ctx(opts, logger);
  if (st.isDirectory()) {
    const view = await readFolder(path, ctx);
    return { view, bytesRead: ctx.bytes };
  }
  if (!st.isFile()) throw new ImageError('unsupported_media_type', `${path} is not a regular file or a folder`);
  if (st.size === 0) throw new ImageError('unsupported_media_type', `${path} is empty (0 bytes), not an image archive`);
  if (opts.maxImageSize && st.size > opts.maxImageSize) {
    throw new ImageError(
      'image_size_exceeded',
      `${path} is ${fmtBytes(st.size, BYTES_KB)}, over the limit of ${fmtBytes(opts.maxImageSize, BYTES_KB)}`,
    );
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
        throw new ImageError(
          'archive_corrupt',
          `${path} is a tar archive cut short inside its first header (${head.length} bytes)`,
        );
      }
      throw new ImageError('unsupported_media_type', `${path} is not a tar archive (nor gzip or zstd compressed)`);
    }
    const view = await readArchiveFile(path, file, st.size, ctx);
    return { view, bytesRead: file.bytesRead };
  } finally {
    await fh.close();
  }
}
