/**
 * One image's Dockerfile: the file's path and the image's layers mapped to its lines, computed once per image
 * and handed to every renderer that points at lines (SARIF locations, annotations). Pure.
 */
import type { ScanReport } from '../model/report.js';
import type { DockerfileMapping } from './map-layers.js';
import { mapLayersToDockerfile } from './map-layers.js';
import type { DockerfileSource } from './source.js';

export interface ImageDockerfile {
  /** As in DockerfileSource: relative to the repository root, `/`-separated. */
  path: string;
  mapping: DockerfileMapping;
}

/** The mapping of one image's layers, null for a scan that read no image. */
export function mapImage(df: DockerfileSource, report: ScanReport): ImageDockerfile | null {
  if (report.target.layers.length === 0) return null;
  return { path: df.path, mapping: mapLayersToDockerfile(df.parsed, report.target) };
}

/**
 * Layer → line for annotations: only layers whose line is known (an instruction, or the base image behind the
 * FROM line). A `fallback` layer has no known line, so its findings are annotated per image, not on a line
 * that did not install them.
 */
export function annotationLines(mapping: DockerfileMapping | null): Map<number, number> {
  const lines = new Map<number, number>();
  if (!mapping) return lines;
  for (const [layer, loc] of mapping.layers) if (loc.origin !== 'fallback') lines.set(layer, loc.startLine);
  return lines;
}
