/**
 * The `dockerfile` input: read and parsed once, then each image's layers are mapped to its lines
 * (src/dockerfile). Problems (unreadable file, parse problems, a path outside the repository) are
 * warnings: the findings are still reported, just not on Dockerfile lines.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { mapLayersToDockerfile } from '../dockerfile/map-layers.js';
import type { DockerfileMapping } from '../dockerfile/map-layers.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import type { ParsedDockerfile } from '../dockerfile/parse.js';
import type { ScanReport } from '../model/report.js';
import { errorText } from './files.js';

export interface DockerfileSource {
  /** As SARIF and annotations need it: relative to the repository root (the workspace), `/`-separated. */
  path: string;
  text: string;
  parsed: ParsedDockerfile;
}

/** Reads and parses the Dockerfile; null (after a warning) when it cannot be read. */
export function loadDockerfile(input: string, workspace: string, cwd: string, warn: (m: string) => void): DockerfileSource | null {
  const abs = resolve(cwd, input);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    warn(`could not read the Dockerfile ${input} (input "dockerfile"): ${errorText(e)}; findings are reported without Dockerfile lines`);
    return null;
  }
  let path = relative(resolve(cwd, workspace), abs);
  if (path === '' || path.startsWith('..') || isAbsolute(path)) {
    warn(`the Dockerfile ${input} is outside the repository checkout (${workspace}): code scanning and annotations can only point at files in the repository`);
    path = input;
  }
  path = path.split(sep).join('/');
  const parsed = parseDockerfile(text);
  if (parsed.problems.length > 0) {
    const list = parsed.problems.slice(0, 10).map((p) => `line ${p.line}: ${p.message}`).join('; ');
    const more = parsed.problems.length > 10 ? ` and ${parsed.problems.length - 10} more` : '';
    warn(`the Dockerfile ${path} has problems (${list}${more}); lines that cannot be matched point at the FROM line or nowhere`);
  }
  return { path, text, parsed };
}

/** The mapping of one image's layers, null for a scan that read no image. */
export function mapImage(df: DockerfileSource, report: ScanReport): DockerfileMapping | null {
  if (report.target.layers.length === 0) return null;
  return mapLayersToDockerfile(df.parsed, report.target);
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
