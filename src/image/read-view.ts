/**
 * From the resolved image and its indexed layers to the ImageView: the merged file tree, the layer list, the
 * target info, and the problems of missing or damaged layers; resolution failures after a cut or a stop
 * explained as such.
 */
import type { LayerInfo, TargetInfo } from '../model/report.js';
import { BYTES_KB, fmtBytes } from '../util/bytes.js';
import type { Catalog } from './catalog.js';
import { INFLATION_RATIO } from './compression.js';
import { capText, historyIndexes, MAX_REPORT_TEXT, reportConfig } from './config.js';
import { layerLabel } from './describe.js';
import { MAX_PATH_BYTES } from './layer-index.js';
import { MAX_LAYERS } from './limits.js';
import { MergedTree } from './merged-view.js';
import { basenameOf } from './paths.js';
import { Ctx } from './read-context.js';
import type { LayerResult } from './read-layer.js';
import { type ResolvedImage, resolveImage } from './resolve.js';
import { type FileRequest, ImageError, type ImageView, type LayerProblem } from './types.js';

/** The resolved image as read: at most MAX_LAYERS layers, and how many the manifest lists. */
export interface ReadImage extends ResolvedImage {
  listedLayers: number;
}

/** The layers' members in order of first listing, each once (a layer listed many times is indexed once). */
export function distinctMembers(r: ResolvedImage): string[] {
  const out = new Set<string>();
  for (const l of r.layers) if (l.member) out.add(l.member);
  return [...out];
}

/**
 * Reads one layer (by its number) again with a request of its own, for the second pass; null for a
 * single-pass input (a stream), which cannot go back.
 */
export type Reread = ((layer: number, want: FileRequest, sub: Ctx) => Promise<LayerResult>) | null;

/** Most paths under symlinks tried by the second pass (a link to `/` would alias the whole tree). */
export const MAX_ALIAS_PROBES = 500_000;

/**
 * The second pass: requested files that the final view reaches only through symlinks (`var/lib/dpkg` a link
 * to a folder, `status` a link to a file) were not kept on the way, as requests match real paths. Each is read
 * again from its layer (one re-read per layer); a stream cannot go back: a problem names the path.
 */
async function readAliased(tree: MergedTree, ctx: Ctx, problems: LayerProblem[], reread: Reread): Promise<void> {
  const { found, cut } = tree.aliasedUnread(ctx.opts.requests, MAX_ALIAS_PROBES);
  if (cut) ctx.logger.warn(`the symlinks of the image lead to more than ${MAX_ALIAS_PROBES} paths: not all were tried`);
  const byLayer = new Map<number, typeof found>();
  for (const f of found) {
    if (f.size > f.max) {
      tree.setBody(f.real, f.layer, null); // over its request's cap, as if it had been at its real path
      continue;
    }
    if (!reread) {
      problems.push({
        code: 'archive_corrupt',
        layer: null,
        message: `/${f.alias} leads through symlinks to /${f.real}, which a single-pass read (a stream) cannot go back for: it was not read`,
      });
      continue;
    }
    if (!ctx.limits.keep(f.size)) {
      problems.push({
        code: 'archive_corrupt',
        layer: null,
        message: `/${f.alias} (through symlinks /${f.real}) was not read: the bodies kept for the analysers reached the reader's budget of ${fmtBytes(ctx.limits.maxKeptBytes, BYTES_KB)}`,
      });
      continue;
    }
    const list = byLayer.get(f.layer);
    if (list) list.push(f);
    else byLayer.set(f.layer, [f]);
  }
  for (const [layer, list] of byLayer) {
    ctx.check();
    const reals = new Set(list.map((f) => f.real));
    const names = new Set(list.map((f) => basenameOf(f.real)));
    const max = Math.max(...list.map((f) => f.max));
    // the layer's own path of the file: the one the final view resolves to its real path
    const want: FileRequest = {
      match: (p) => names.has(basenameOf(p)) && reals.has(tree.resolve(p) ?? p),
      maxSize: max,
    };
    const sub = new Ctx({ requests: [want], ...(ctx.opts.signal ? { signal: ctx.opts.signal } : {}) }, ctx.logger);
    const res = await reread!(layer, want, sub);
    const got = new Map<string, Buffer>();
    for (const [p, wb] of res.index.bodies) if (wb.body) got.set(tree.resolve(p) ?? p, wb.body);
    for (const f of list) {
      const body = got.get(f.real);
      if (body) {
        tree.setBody(f.real, layer, body);
        ctx.logger.info(`read /${f.alias} through symlinks (/${f.real}) in a second pass over layer ${layer + 1}`);
      } else {
        problems.push({
          code: 'archive_corrupt',
          layer: null,
          message: `/${f.alias} leads through symlinks to /${f.real}, which could not be read again from layer ${layer + 1}${res.error ? ` (${res.error})` : ''}`,
        });
      }
    }
  }
}

/** Turn the resolved image and its indexed layers into the view. */
export async function buildView(
  r: ReadImage,
  results: (LayerResult | null)[],
  problems: LayerProblem[],
  target: { input: string; kind: TargetInfo['kind']; size: number },
  ctx: Ctx,
  reread: Reread = null,
): Promise<ImageView> {
  const n = r.layers.length;
  const hist = historyIndexes(r.config.history, n);
  const tree = new MergedTree();
  const layers: LayerInfo[] = [];
  let abortedNoted = false;
  // the merge stops at the time limit too (checked between layers and every few thousand entries)
  const stop = () => !!ctx.opts.signal?.aborted;
  let stopped = false;
  let lastYield = Date.now();
  if (r.listedLayers > n) {
    problems.push({
      code: 'archive_corrupt',
      layer: null,
      message: `the manifest lists ${r.listedLayers} layers, over the ${MAX_LAYERS} overlayfs can stack: only the lowest ${n} were read`,
    });
  }
  // the entries the merge applies, over the layers as listed (a layer listed again is applied again)
  let applied = 0;
  let overApplied = false;
  const limitNoted = new Set<string>();
  const unkept = { count: 0, bytes: 0, first: '' };
  const seen = new Set<object>();
  // the last listing of each index: there the merge may keep the index's entry objects as its own
  const lastUse = new Map<object, number>();
  for (let i = 0; i < n; i++) if (results[i]) lastUse.set(results[i]!.index, i);
  for (let i = 0; i < n; i++) {
    if (Date.now() - lastYield > 50) {
      await new Promise((r) => setImmediate(r)); // lets the time limit's timer fire
      lastYield = Date.now();
    }
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
        ctx.logger.warn(
          `${label}: ignored ${res.index.ignored.length} entries whose paths leave the image root (e.g. ${res.index.ignored[0]})`,
        );
      }
      if (res.index.tooLong) {
        // not an unreadable layer (layer: null): the rest of it was read
        const { count, first } = res.index.tooLong;
        problems.push({
          code: 'archive_corrupt',
          layer: null,
          message: `${label}: ${count} ${count === 1 ? 'entry' : 'entries'} skipped, their path or link target longer than ${MAX_PATH_BYTES} bytes (PATH_MAX), the first under ${first}…`,
        });
      }
      if (res.index.bombLike && !seen.has(res.index)) {
        const b = res.index.bombLike;
        problems.push({
          code: 'archive_corrupt',
          layer: null,
          message: `${label}: ${b.count === 1 ? 'a file inflates' : `${b.count} files inflate`} as a decompression bomb does (/${b.first}: ${fmtBytes(b.size, BYTES_KB)} from ${fmtBytes(b.bytesIn, BYTES_KB)}, over ${INFLATION_RATIO}×): read past as filler, not kept; the rest of the layer was read`,
        });
      }
      if (res.index.limited && !limitNoted.has(res.index.limited)) {
        limitNoted.add(res.index.limited);
        problems.push({
          code: 'archive_corrupt',
          layer: null,
          message: `${res.index.limited}: ${label} was read in part, later entries and layers are missing`,
        });
      }
      if (res.index.unkept && !seen.has(res.index)) {
        const u = res.index.unkept;
        if (unkept.count === 0) unkept.first = u.first;
        unkept.count += u.count;
        unkept.bytes += u.bytes;
      }
      seen.add(res.index);
      applied += res.index.entries;
      if (!overApplied && applied > ctx.limits.maxEntries) {
        overApplied = true;
        problems.push({
          code: 'archive_corrupt',
          layer: null,
          message: `the layers as listed add more than ${ctx.limits.maxEntries.toLocaleString('en-US')} entries, the reader's cap: ${label} and the layers above it were not merged`,
        });
      }
      if (!overApplied && !stopped && !tree.apply(i, res.index, ctx.logger, stop, lastUse.get(res.index) === i))
        stopped = true;
      if (stopped && !abortedNoted) {
        problems.push({
          code: 'collection_time_limit_exceeded',
          layer: i,
          message: `the time limit stopped the merge of the layers in ${label}; later content is missing`,
        });
        abortedNoted = true;
      }
    }
    const hi = hist[i] ?? null;
    layers.push({
      index: i,
      digest: l.digest,
      diff_id: l.diffId,
      media_type: l.mediaType,
      size: l.size,
      created_by: createdBy(r, hi),
      history_index: hi,
      entries: res?.index.entries ?? 0,
    });
  }
  if (!stopped && !ctx.opts.signal?.aborted) await readAliased(tree, ctx, problems, reread);
  if (unkept.count > 0) {
    problems.push({
      code: 'archive_corrupt',
      layer: null,
      message: `${unkept.count} wanted ${unkept.count === 1 ? 'file was' : 'files were'} not read (${fmtBytes(unkept.bytes, BYTES_KB)}, the first /${unkept.first}): the bodies kept for the analysers reached the reader's budget of ${fmtBytes(ctx.limits.maxKeptBytes, BYTES_KB)}`,
    });
  }
  const copied = reportConfig(r.config);
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
    env: copied.env,
    labels: copied.labels,
    layers,
    history: copied.history,
  };
  ctx.opts.onProgress?.(ctx.bytes);
  const byBlob = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const m = r.layers[i]!.member;
    if (!m) continue;
    const list = byBlob.get(m);
    if (list) list.push(i);
    else byBlob.set(m, [i]);
  }
  return {
    target: targetInfo,
    layers,
    files: tree,
    problems,
    layersOfBlob: (blob) => byBlob.get(blob)?.slice() ?? [],
    ...(copied.note ? { notes: [copied.note] } : {}),
  };
}

/** The history `created_by` of a layer, capped as the report's history is. */
function createdBy(r: ResolvedImage, hi: number | null): string | null {
  const s = hi === null ? null : (r.config.history[hi]?.created_by ?? null);
  return s === null ? null : capText(s, MAX_REPORT_TEXT);
}

/** Resolve, turning resolution failures after a cut / a stop into the right error. */
export async function resolveOrExplain(
  cat: Catalog,
  ctx: Ctx,
  folder: boolean,
  outerError: string | null,
  aborted: boolean,
): Promise<ReadImage> {
  try {
    const r = await resolveImage(cat, ctx.opts, ctx.logger, folder);
    const listedLayers = r.layers.length;
    // overlayfs stacks at most MAX_LAYERS: the layers above are not read (said in buildView)
    return { ...r, layers: r.layers.slice(0, MAX_LAYERS), listedLayers };
  } catch (e) {
    if (!(e instanceof ImageError)) throw e;
    if (aborted) {
      throw new ImageError(
        'collection_time_limit_exceeded',
        `the time limit stopped the read before the image manifest was found (${e.message})`,
      );
    }
    if (outerError) throw new ImageError('archive_corrupt', `${outerError}; ${e.message}`);
    throw e;
  }
}

export function missingLayer(
  r: ResolvedImage,
  i: number,
  outerError: string | null,
  aborted: boolean,
): LayerProblem | null {
  const l = r.layers[i]!;
  const label = layerLabel(i, r.layers.length, l.digest ?? l.diffId);
  if (aborted) return null;
  if (outerError)
    return { code: 'archive_corrupt', layer: i, message: `${label} (${l.path}) is missing: ${outerError}` };
  throw new ImageError('archive_corrupt', `the manifest names ${label} (${l.path}), which is not in the archive`);
}
