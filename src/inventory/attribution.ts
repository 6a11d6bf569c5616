/**
 * Per-layer attribution: which layer installed the version of a package that ends up in the image.
 * Given every version of a package DB file as the layers wrote it (lowest first) and a function that lists
 * (package key → version) from one version of the file, a package is attributed to the lowest layer from
 * which every later version of the DB still holds it at its final version.
 */
import type { FileVersion } from '../image/types.js';
import type { LayerInfo, LayerRef } from '../model/report.js';

export function layerRef(layers: readonly LayerInfo[], index: number | null | undefined): LayerRef | null {
  if (index === null || index === undefined) return null;
  const l = layers[index];
  if (!l) return { index, digest: null, created_by: null };
  return { index, digest: l.digest, created_by: l.created_by };
}

/**
 * @param versions versions of one DB file, lowest layer first (MergedView.versions)
 * @param list parses one version into key → version; may throw (that version then counts as unknown,
 *             and attribution falls back to the layers that could be read)
 * @returns key → layer index, for keys present in the top version
 */
export function attributeByLayer(
  versions: readonly FileVersion[],
  list: (body: Buffer) => Map<string, string>,
): Map<string, number> {
  const result = new Map<string, number>();
  if (versions.length === 0) return result;
  const parsed: (Map<string, string> | null)[] = versions.map((v) => {
    if (!v.body) return null;
    try {
      return list(v.body);
    } catch {
      return null;
    }
  });
  return attributeLists(
    versions.map((v) => v.layer),
    parsed,
  );
}

/**
 * attributeByLayer over lists made already (a streaming reader lists each version as it passes):
 * `layers[i]` is the layer of version i (lowest first), `lists[i]` its key → version map, null when unknown.
 */
export function attributeLists(
  layers: readonly number[],
  lists: readonly (ReadonlyMap<string, string> | null)[],
): Map<string, number> {
  const result = new Map<string, number>();
  const top = lists[lists.length - 1];
  if (!top) return result;
  for (const [key, finalVersion] of top) {
    let layer = layers[layers.length - 1]!;
    for (let i = lists.length - 2; i >= 0; i--) {
      const p = lists[i];
      if (!p || p.get(key) !== finalVersion) break;
      layer = layers[i]!;
    }
    result.set(key, layer);
  }
  return result;
}
