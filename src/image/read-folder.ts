/**
 * An OCI image layout folder: its blobs are files, each layer indexed from its own file, concurrently (each
 * distinct blob once).
 */
import { promises as fsp } from 'node:fs';
import { BYTES_KB, fmtBytes } from '../util/bytes.js';
import { FolderCatalog } from './catalog.js';
import { emptyIndex } from './layer-index.js';
import type { Ctx } from './read-context.js';
import { CONCURRENCY, indexFileLayer, type LayerResult, pool } from './read-layer.js';
import { buildView, distinctMembers, missingLayer, type Reread, resolveOrExplain } from './read-view.js';
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
  // each blob counted once, however often it is listed
  const total = [...new Map(r.layers.map((l) => [l.member ?? l.path, l.size])).values()].reduce((s, x) => s + x, 0);
  if (ctx.opts.maxImageSize && total > ctx.opts.maxImageSize) {
    throw new ImageError(
      'image_size_exceeded',
      `the image's layers take ${fmtBytes(total, BYTES_KB)}, over the limit of ${fmtBytes(ctx.opts.maxImageSize, BYTES_KB)}`,
    );
  }
  const problems: LayerProblem[] = [];
  for (let i = 0; i < r.layers.length; i++) if (!r.layers[i]!.member) missingLayer(r, i, null, false);
  // each distinct blob is indexed once, however often the manifest lists it
  const members = distinctMembers(r);
  const indexBlob = async (member: string, ctx: Ctx): Promise<LayerResult> => {
    const full = cat.fullPath(member);
    const fh = await fsp.open(full, 'r');
    try {
      const size = (await fh.stat()).size;
      return await indexFileLayer(new PositionalFile(fh, size, () => undefined), full, 0, size, ctx, member);
    } finally {
      await fh.close();
    }
  };
  const indexed = await pool(members.length, CONCURRENCY, async (j): Promise<LayerResult> => {
    if (ctx.opts.signal?.aborted) return { index: emptyIndex(), error: null, aborted: true };
    return indexBlob(members[j]!, ctx);
  });
  const byMember = new Map(members.map((m, j) => [m, indexed[j]!]));
  const results = r.layers.map((l): LayerResult | null => (l.member ? byMember.get(l.member)! : null));
  // the second pass (files reached through symlinks) reads a blob again
  const reread: Reread = (i, _want, sub) => indexBlob(r.layers[i]!.member!, sub);
  return await buildView(r, results, problems, { input: path, kind: 'oci-layout', size: total }, ctx, reread);
}
