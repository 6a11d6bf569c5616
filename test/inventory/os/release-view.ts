/**
 * Test double of the image reader's MergedView for the OS analyzers' tests: layers are maps of path → body
 * (null = over the size cap, undefined value = deleted by a whiteout in that layer). The bodies the tests put
 * in are real files from ../shared; only the view is simulated.
 */
import type { FileEntry, FileVersion, FileVisitor, MergedView, VisitedFile } from '../../../src/image/types.js';

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

/**
 * Hands every matching file of the layers to a visitor as the reader's visit hook would (blob `layer<i>` is
 * layer i; bodies in chunks of `chunk` bytes), for analyzers that read through a visitor. Returns the
 * layersOfBlob the analyzer context needs.
 */
export async function visitLayers(
  layers: LayerFiles[],
  visitor: FileVisitor,
  chunk = 256 * 1024,
): Promise<(blob: string) => number[]> {
  for (let i = 0; i < layers.length; i++) {
    for (const [path, body] of layers[i]!) {
      if (!body || !visitor.match(path, body.length, 0o644)) continue;
      await visitor.visit(bufferFile(path, `layer${i}`, body, chunk));
    }
  }
  return (blob) => (/^layer\d+$/.test(blob) && Number(blob.slice(5)) < layers.length ? [Number(blob.slice(5))] : []);
}

/** A VisitedFile over a buffer, its chunks `chunk` bytes long. */
export function bufferFile(path: string, blob: string, body: Buffer, chunk = 256 * 1024): VisitedFile {
  return {
    path,
    blob,
    size: body.length,
    mode: 0o644,
    head: async (n) => body.subarray(0, n),
    readAll: async () => Buffer.from(body),
    chunks: () => ({
      [Symbol.asyncIterator]: async function* () {
        for (let off = 0; off < body.length; off += chunk) yield body.subarray(off, off + chunk);
      },
    }),
    readAt: async (o, n) => body.subarray(o, o + n),
  };
}
