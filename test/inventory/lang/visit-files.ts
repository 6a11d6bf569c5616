/**
 * Test drivers of the binaries' visitor without the image reader: a file handed to it as the reader would
 * (seekable: readAt over the body; streamed: readAt null, the body in chunks), counting the bytes it read, and
 * an analyzer run over one layer of such files (blob `layer0` is layer 0; any other blob is not in the image).
 */
import type { FileVisitor, VisitedFile } from '../../../src/image/types.js';
import type { Analyzer, AnalyzerResult } from '../../../src/inventory/types.js';
import { analyzerVisitors } from '../../../src/inventory/visitors.js';
import type { Mode } from '../../../src/model/report.js';
import { memView } from '../os/release-view.js';
import { ctxOf } from './helpers.js';

export interface Counted extends VisitedFile {
  /** Bytes handed out by readAt/chunks/head. */
  readonly bytesRead: number;
  /** Largest single read. */
  readonly largestRead: number;
}

export function visitedFile(
  path: string,
  body: Buffer,
  opts: { seekable: boolean; mode?: number; blob?: string; chunk?: number },
): Counted {
  let bytesRead = 0;
  let largestRead = 0;
  const count = (b: Buffer) => {
    bytesRead += b.length;
    largestRead = Math.max(largestRead, b.length);
    return b;
  };
  const chunk = opts.chunk ?? 64 * 1024;
  return {
    path,
    blob: opts.blob ?? 'layer0',
    size: body.length,
    mode: opts.mode ?? 0o100755,
    head: async (n) => count(Buffer.from(body.subarray(0, n))),
    readAll: async () => count(Buffer.from(body)),
    chunks: () => ({
      [Symbol.asyncIterator]: async function* () {
        for (let o = 0; o < body.length; o += chunk) yield count(Buffer.from(body.subarray(o, o + chunk)));
      },
    }),
    readAt: opts.seekable
      ? async (o, n) => count(Buffer.from(body.subarray(Math.min(o, body.length), Math.min(o + n, body.length))))
      : null,
    get bytesRead() {
      return bytesRead;
    },
    get largestRead() {
      return largestRead;
    },
  };
}

/** The analyzer over one layer of [path, body, mode?] files, each visited as the reader would (if matched). */
export async function runVisited(
  analyzer: Analyzer,
  files: [string, Buffer, number?][],
  opts: { seekable: boolean; mode?: Mode; blob?: string },
): Promise<{ result: AnalyzerResult; visitor: FileVisitor; counted: Map<string, Counted> }> {
  const mode = opts.mode ?? 'light';
  const visitor = analyzerVisitors([analyzer], mode).get(analyzer.visit!.key)!;
  const counted = new Map<string, Counted>();
  for (const [path, body, m] of files) {
    const f = visitedFile(path, body, { seekable: opts.seekable, mode: m ?? 0o100755, blob: opts.blob ?? 'layer0' });
    if (!visitor.match(path, f.size, f.mode)) continue;
    counted.set(path, f);
    await visitor.visit(f);
  }
  const view = memView([new Map(files.map(([p, b]) => [p, b]))]);
  const ctx = { ...ctxOf(view, { mode }), visitor, layersOfBlob: (b: string) => (b === 'layer0' ? [0] : []) };
  return { result: await analyzer.analyze(ctx), visitor, counted };
}
