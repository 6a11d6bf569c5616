/**
 * The visitors a scan hands the image reader for its analyzers (Analyzer.visit): one fresh visitor per key
 * among the analyzers of the mode, so analyzers sharing a key share one read of each file.
 */
import type { FileVisitor } from '../image/types.js';
import type { Mode } from '../model/report.js';
import type { Analyzer } from './types.js';

export function analyzerVisitors(analyzers: readonly Analyzer[], mode: Mode): Map<string, FileVisitor> {
  const out = new Map<string, FileVisitor>();
  for (const a of analyzers) {
    if (!a.visit || !a.modes.includes(mode) || out.has(a.visit.key)) continue;
    out.set(a.visit.key, a.visit.create(mode));
  }
  return out;
}
