/**
 * Helpers of the language analyzers' tests: an AnalyzerContext over a view, the image reader run with an
 * analyzer's requests, and the layers of an OCI archive extracted with the system tar (for the real tools
 * used as oracles: npm, pip, dpkg-query).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readImageFromPath } from '../../../src/image/read.js';
import type { FileVisitor, ImageView, MergedView } from '../../../src/image/types.js';
import type { Analyzer, AnalyzerContext } from '../../../src/inventory/types.js';
import { analyzerVisitors } from '../../../src/inventory/visitors.js';
import type { LayerInfo, Mode, OsInfo } from '../../../src/model/report.js';
import { MemoryLogger } from '../../../src/util/logger.js';

export function ctxOf(
  files: MergedView,
  opts: { layers?: LayerInfo[]; os?: OsInfo | null; mode?: Mode } = {},
): AnalyzerContext & { logger: MemoryLogger } {
  return {
    files,
    layers: opts.layers ?? [],
    os: opts.os ?? null,
    mode: opts.mode ?? 'light',
    logger: new MemoryLogger(),
  };
}

export async function readWith(
  archive: string,
  ...analyzers: Analyzer[]
): Promise<ImageView & { visitors: Map<string, FileVisitor> }> {
  return readWithMode(archive, 'light', ...analyzers);
}

/** The reader run with the analyzers' requests and their visitors (Analyzer.visit) of that mode. */
export async function readWithMode(
  archive: string,
  mode: Mode,
  ...analyzers: Analyzer[]
): Promise<ImageView & { visitors: Map<string, FileVisitor> }> {
  const visitors = analyzerVisitors(analyzers, mode);
  const view = await readImageFromPath(
    archive,
    { requests: analyzers.flatMap((a) => a.requests), visitors: [...visitors.values()] },
    new MemoryLogger(),
  );
  return Object.assign(view, { visitors });
}

export async function run(archive: string, analyzer: Analyzer, mode: Mode = 'light') {
  const view = await readWithMode(archive, mode, analyzer);
  const ctx = {
    ...ctxOf(view.files, { layers: view.layers, mode }),
    ...(analyzer.visit ? { visitor: view.visitors.get(analyzer.visit.key) } : {}),
    layersOfBlob: (b: string) => view.layersOfBlob(b),
  };
  const result = await analyzer.analyze(ctx);
  return { view, ctx, result };
}

/** Extracts every layer of an OCI image archive, in order, into `dir/<n>/` with tar (layer i into dir/i). */
export function extractOciLayers(archive: string, dir: string): string[] {
  const blobs = join(dir, 'oci');
  mkdirSync(blobs, { recursive: true });
  execFileSync('tar', ['-xf', archive, '-C', blobs]);
  const index = JSON.parse(readFileSync(join(blobs, 'index.json'), 'utf8'));
  const blob = (d: string) => join(blobs, 'blobs', ...d.split(':'));
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0].digest), 'utf8'));
  return manifest.layers.map((l: { digest: string }, i: number) => {
    const out = join(dir, String(i));
    mkdirSync(out, { recursive: true });
    execFileSync('tar', ['-xzf', blob(l.digest), '-C', out, '--no-same-owner', '--exclude=dev/*']);
    return out;
  });
}
