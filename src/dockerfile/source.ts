/**
 * A Dockerfile as read from the repository, parsed once: the path SARIF and annotations name it by (relative to
 * the repository root, `/`-separated) and its parse; and the one warning its parse problems make. Pure: reading
 * the file and placing it in the repository is the caller's (src/action/dockerfile.ts).
 */

import type { ParsedDockerfile } from './parse.js';
import { parseDockerfile } from './parse.js';

export interface DockerfileSource {
  /** Relative to the repository root (the workspace), `/`-separated. */
  path: string;
  parsed: ParsedDockerfile;
}

export function parseSource(path: string, text: string): DockerfileSource {
  return { path, parsed: parseDockerfile(text) };
}

/** The warning for the parse problems (the first 10 listed), null when there are none. */
export function problemsWarning(df: DockerfileSource): string | null {
  const problems = df.parsed.problems;
  if (problems.length === 0) return null;
  const list = problems
    .slice(0, 10)
    .map((p) => `line ${p.line}: ${p.message}`)
    .join('; ');
  const more = problems.length > 10 ? ` and ${problems.length - 10} more` : '';
  return `the Dockerfile ${df.path} has problems (${list}${more}); lines that cannot be matched point at the FROM line or nowhere`;
}
