/**
 * Shared helpers of the language analyzers: building a report Package for a file in the image, and turning
 * a read failure into an AnalyzerProblem that names the file.
 */
import type { MergedView } from '../../image/types.js';
import type { LayerInfo, Package, PackageType } from '../../model/report.js';
import { BYTES_ROUNDED, fmtBytes } from '../../util/bytes.js';
import { layerRef } from '../attribution.js';
import { type PurlParts, purl } from '../purl.js';
import type { AnalyzerProblem } from '../types.js';

export interface LangPackageInput {
  name: string;
  version: string;
  type: PackageType;
  /** OSV base ecosystem (`npm`, `PyPI`, `Go`, …). */
  ecosystem: string;
  purl: PurlParts;
  location: string;
  /** Layer index that wrote the file (or the package's entry in it); null when unknown. */
  layer: number | null | undefined;
  foundBy: string;
  metadata?: Record<string, string | number | null>;
}

export function langPackage(layers: readonly LayerInfo[], p: LangPackageInput): Package {
  const pkg: Package = {
    name: p.name,
    version: p.version,
    type: p.type,
    source_name: p.name,
    source_version: p.version,
    purl: purl(p.purl),
    location: p.location,
    layer: layerRef(layers, p.layer),
    arch: null,
    ecosystem: p.ecosystem,
    found_by: p.foundBy,
  };
  if (p.metadata && Object.keys(p.metadata).length) pkg.metadata = p.metadata;
  return pkg;
}

/** The layer that wrote the final version of a file. */
export function fileLayer(files: MergedView, path: string): number | null {
  return files.stat(path)?.layer ?? null;
}

/** A wanted file's body, or a problem when it was over its size cap. undefined: not in the image. */
export function readWanted(
  files: MergedView,
  path: string,
  maxSize: number,
  what: string,
  problems: AnalyzerProblem[],
): Buffer | undefined {
  const body = files.read(path);
  if (body === undefined) return undefined;
  if (body === null) {
    problems.push({
      path,
      message: `${what} is larger than the ${fmtBytes(maxSize, BYTES_ROUNDED)} limit and was not read`,
    });
    return undefined;
  }
  return body;
}
