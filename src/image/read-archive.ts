/**
 * An image archive file with a plain outer tar, read in seekable mode: one walk of the outer tar's headers
 * lists its members in the catalog, then the manifest's layers are indexed in place, concurrently (each distinct
 * member once, however often the manifest lists it).
 */
import { ArchiveCatalog } from './catalog.js';
import { emptyIndex } from './layer-index.js';
import { normalizeEntryPath } from './paths.js';
import { Aborted, type Ctx } from './read-context.js';
import { CONCURRENCY, indexFileLayer, type LayerResult, pool } from './read-layer.js';
import { buildView, distinctMembers, missingLayer, type Reread, resolveOrExplain } from './read-view.js';
import { TarError } from './tar-header.js';
import { type PositionalFile, walkTarSeekable } from './tar-seek.js';
import type { ImageView, LayerProblem } from './types.js';

export async function readArchiveFile(path: string, file: PositionalFile, size: number, ctx: Ctx): Promise<ImageView> {
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
      problems.push({
        code: 'archive_corrupt',
        layer: null,
        message: `${path} ends without the tar end-of-archive marker (it may be truncated)`,
      });
    }
  } catch (e) {
    if (e instanceof Aborted) aborted = true;
    else if (e instanceof TarError)
      outerError = `the archive is ${e.kind === 'truncated' ? 'truncated' : 'corrupt'} (${e.message})`;
    else throw e;
  }
  const r = await resolveOrExplain(cat, ctx, false, outerError, aborted);
  if (outerError) problems.push({ code: 'archive_corrupt', layer: null, message: outerError });
  // each distinct member is indexed once, however often the manifest lists it (the merge applies it each time)
  const members = distinctMembers(r);
  const indexed = await pool(members.length, CONCURRENCY, async (j): Promise<LayerResult> => {
    if (ctx.opts.signal?.aborted) return { index: emptyIndex(), error: null, aborted: true };
    const m = cat.members.get(members[j]!)!;
    return indexFileLayer(file, path, m.offset, m.size, ctx, members[j]!);
  });
  const byMember = new Map(members.map((m, j) => [m, indexed[j]!]));
  const results = r.layers.map((l, i): LayerResult | null => {
    if (l.member) return byMember.get(l.member)!;
    const p = missingLayer(r, i, outerError, aborted || !!ctx.opts.signal?.aborted);
    if (p) problems.push(p);
    return null;
  });
  if (aborted)
    problems.push({
      code: 'collection_time_limit_exceeded',
      layer: null,
      message: 'the time limit stopped the read of the archive',
    });
  // the second pass (files reached through symlinks) reads a layer again where it lies
  const reread: Reread = async (i, _want, sub) => {
    const member = r.layers[i]!.member!;
    const m = cat.members.get(member)!;
    return indexFileLayer(file, path, m.offset, m.size, sub, member);
  };
  return await buildView(r, results, problems, { input: path, kind: 'archive', size }, ctx, reread);
}
