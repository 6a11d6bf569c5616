/**
 * The `dockerfile` input: the file read from the workspace, placed in the repository and parsed once
 * (src/dockerfile/source.ts); each image's layers are then mapped to its lines by src/dockerfile/image.ts.
 * Problems (unreadable file, parse problems, a path outside the repository) are warnings: the findings are
 * still reported, just not on Dockerfile lines.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { DockerfileSource } from '../dockerfile/source.js';
import { parseSource, problemsWarning } from '../dockerfile/source.js';
import { errorText } from '../util/error-text.js';

/** Reads and parses the Dockerfile; null (after a warning) when it cannot be read. */
export function loadDockerfile(
  input: string,
  workspace: string,
  cwd: string,
  warn: (m: string) => void,
): DockerfileSource | null {
  const abs = resolve(cwd, input);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    warn(
      `could not read the Dockerfile ${input} (input "dockerfile"): ${errorText(e)}; findings are reported without Dockerfile lines`,
    );
    return null;
  }
  let path = relative(resolve(cwd, workspace), abs);
  if (path === '' || path.startsWith('..') || isAbsolute(path)) {
    warn(
      `the Dockerfile ${input} is outside the repository checkout (${workspace}): code scanning and annotations can only point at files in the repository`,
    );
    path = input;
  }
  path = path.split(sep).join('/');
  const source = parseSource(path, text);
  const problems = problemsWarning(source);
  if (problems) warn(problems);
  return source;
}
