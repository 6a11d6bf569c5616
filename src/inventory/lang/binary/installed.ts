/**
 * Which visited binary versions are installed: the visitor saw every version of every layer (also files a
 * later layer replaced or deleted, and, in a streamed save, blobs of other platforms). A version counts when
 * its blob is a layer of the chosen image and the final view's file at its path comes from that layer; it is
 * attributed to that layer. Also: executables over the size limit, which were not opened.
 */

import { BYTES_ROUNDED, fmtBytes } from '../../../util/bytes.js';
import type { AnalyzerContext, AnalyzerProblem } from '../../types.js';
import { BINARY_MAX_SIZE } from './candidates.js';
import { type BinaryRecord, BinaryVisitor } from './visitor.js';

export interface InstalledBinary {
  rec: BinaryRecord;
  layer: number;
}

/** The installed versions among what the scan's binary visitor recorded (none without a visitor). */
export function installedBinaries(ctx: AnalyzerContext): InstalledBinary[] {
  const v = ctx.visitor;
  if (!(v instanceof BinaryVisitor) || !ctx.layersOfBlob) return [];
  const out: InstalledBinary[] = [];
  const seen = new Set<string>();
  const layersOf = new Map<string, number[]>();
  for (const rec of v.records) {
    let layers = layersOf.get(rec.blob);
    if (!layers) layersOf.set(rec.blob, (layers = ctx.layersOfBlob(rec.blob)));
    if (!layers.length) continue;
    const e = ctx.files.stat(rec.path, false);
    if (e?.type !== 'file' || !layers.includes(e.layer)) continue;
    const key = `${e.layer}\0${rec.path}`;
    if (seen.has(key)) continue; // the same blob read twice (a layer repeated in the image)
    seen.add(key);
    out.push({ rec, layer: e.layer });
  }
  return out;
}

/** Executables of the final view too large to open (reported once, by lang/gobinary). */
export function oversizeExecutables(ctx: AnalyzerContext): AnalyzerProblem[] {
  if (!(ctx.visitor instanceof BinaryVisitor)) return [];
  const out: AnalyzerProblem[] = [];
  for (const e of ctx.files.entries()) {
    if (e.type !== 'file' || e.size <= BINARY_MAX_SIZE || (e.mode & 0o111) === 0) continue;
    out.push({
      path: e.path,
      message: `not inspected for Go build info or cargo-auditable data: larger than the ${fmtBytes(BINARY_MAX_SIZE, BYTES_ROUNDED)} limit`,
    });
  }
  return out;
}
