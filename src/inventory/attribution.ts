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
  const top = parsed[parsed.length - 1];
  if (!top) return result;
  for (const [key, finalVersion] of top) {
    let layer = versions[versions.length - 1]!.layer;
    for (let i = parsed.length - 2; i >= 0; i--) {
      const p = parsed[i];
      if (!p || p.get(key) !== finalVersion) break;
      layer = versions[i]!.layer;
    }
    result.set(key, layer);
  }
  return result;
}
