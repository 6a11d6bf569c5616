/** An OCI image layout folder: its blobs are files, each layer indexed from its own file, concurrently. */
import { promises as fsp } from 'node:fs';
import { BYTES_KB, fmtBytes } from '../util/bytes.js';
import { FolderCatalog } from './catalog.js';
import { emptyIndex } from './layer-index.js';
import type { Ctx } from './read-context.js';
import { CONCURRENCY, indexFileLayer, type LayerResult, pool } from './read-layer.js';
import { buildView, missingLayer, resolveOrExplain } from './read-view.js';
import { PositionalFile } from './tar-seek.js';
import { ImageError, type ImageView, type LayerProblem } from './types.js';

export async function readFolder(path: string, ctx: Ctx): Promise<ImageView> {
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
    throw new ImageError(
      'image_size_exceeded',
      `the image's layers take ${fmtBytes(total, BYTES_KB)}, over the limit of ${fmtBytes(ctx.opts.maxImageSize, BYTES_KB)}`,
    );
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
      return await indexFileLayer(new PositionalFile(fh, size, () => undefined), full, 0, size, ctx, l.member);
    } finally {
      await fh.close();
    }
  });
  return await buildView(r, results, problems, { input: path, kind: 'oci-layout', size: total }, ctx);
}
