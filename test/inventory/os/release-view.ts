/**
 * Test double of the image reader's MergedView for the OS analyzers' tests: layers are maps of path → body
 * (null = over the size cap, undefined value = deleted by a whiteout in that layer). The bodies the tests put
 * in are real files from ../shared; only the view is simulated.
 */
import type { FileEntry, FileVersion, MergedView } from '../../../src/image/types.js';

export type LayerFiles = Map<string, Buffer | null | undefined>;

export function memView(layers: LayerFiles[]): MergedView {
  const final = new Map<string, { layer: number; body: Buffer | null }>();
  const versions = new Map<string, FileVersion[]>();
  layers.forEach((files, layer) => {
    for (const [path, body] of files) {
      if (body === undefined) {
        final.delete(path);
        continue;
      }
      final.set(path, { layer, body });
      const list = versions.get(path) ?? [];
      list.push({ layer, body, size: body ? body.length : 1 << 30 });
      versions.set(path, list);
    }
  });
  const entry = (path: string): FileEntry | undefined => {
    const f = final.get(path);
    if (!f) return undefined;
    return { path, type: 'file', size: f.body?.length ?? 0, mode: 0o644, linkname: null, layer: f.layer };
  };
  return {
    stat: (p) => entry(p),
    read: (p) => (final.has(p) ? final.get(p)!.body : undefined),
    versions: (p) => versions.get(p) ?? [],
    wanted: () => [...final.keys()],
    *entries() {
      for (const p of final.keys()) yield entry(p)!;
    },
    resolve: (p) => p,
    get fileCount() {
      return final.size;
    },
  };
}

/** One-layer view from [path, body] pairs. */
export function viewOf(...files: [string, Buffer | string][]): MergedView {
  return memView([new Map(files.map(([p, b]) => [p, typeof b === 'string' ? Buffer.from(b) : b]))]);
}
