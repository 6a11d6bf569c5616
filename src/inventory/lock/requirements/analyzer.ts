/**
 * pip `requirements*.txt`, deep mode. Only requirements pinned to one exact
 * version (`name==1.2.3`, `name===1.2.3`, with optional extras, environment marker and per-requirement
 * options such as `--hash`) are reported: a range (`>=`, `~=`, `!=`, `==1.*`, several specifiers) is not a
 * version, and is a counted, logged skip, as are bare names, URLs / paths / VCS (`name @ url`, `-e`, `git+`),
 * and option lines (`-r`, `-c`, `--index-url`, …). Files named by `-r` / `--requirement` are followed relative to
 * the including file (common.ts: inside the image, bounded, each once) and reported at their own location;
 * constraints files (`-c`) list no installs and are not followed.
 * Line handling follows pip: a trailing backslash joins lines; `#` starts a comment at the start of a line or
 * after whitespace. UTF-16 files (with a BOM) are decoded. An environment marker is not evaluated (the
 * image's interpreter is unknown here); it is kept as metadata.marker.
 */
import { type LockEntry, type LockParse, lockAnalyzer } from '../common.js';
import { PYPI, pypiEntry } from '../pypi.js';

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9.+!_-]*$/;

/** pip's logical lines: continuations joined, comments removed, blank lines dropped. */
export function logicalLines(text: string): string[] {
  const out: string[] = [];
  let acc = '';
  for (const raw of text.split(/\r?\n/)) {
    if (raw.endsWith('\\')) {
      acc += raw.slice(0, -1);
      continue;
    }
    const line = (acc + raw).replace(/(?:^|\s)#.*$/, '').trim();
    acc = '';
    if (line) out.push(line);
  }
  const last = acc.replace(/(?:^|\s)#.*$/, '').trim();
  if (last) out.push(last);
  return out;
}

export function parseRequirementLine(line: string): { entry: LockEntry } | { skip: string; what: string } {
  if (line.startsWith('-')) return { skip: 'option line (-r, -c, -e, --index-url, …)', what: line.split(/\s/)[0]! };
  const m = NAME.exec(line);
  if (!m || /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(line) || /^[./~]/.test(line))
    return { skip: 'URL or path', what: line.slice(0, 80) };
  const name = m[1]!;
  let rest = line.slice(m[0].length);
  // Per-requirement options (--hash=…, --config-settings …) follow the requirement after whitespace.
  const opt = rest.search(/(?:^|\s)--?[A-Za-z]/);
  if (opt >= 0) rest = rest.slice(0, opt);
  let marker = '';
  const semi = rest.indexOf(';');
  if (semi >= 0) {
    marker = rest.slice(semi + 1).trim();
    rest = rest.slice(0, semi);
  }
  rest = rest.trim();
  if (rest.startsWith('@')) return { skip: 'URL or path', what: name };
  if (rest.startsWith('(') && rest.endsWith(')')) rest = rest.slice(1, -1).trim();
  if (!rest) return { skip: 'no version (bare name)', what: name };
  const specs = rest.split(',').map((s) => s.trim());
  const pin = specs.length === 1 ? /^(===?)\s*(\S+)$/.exec(specs[0]!) : null;
  if (!pin || (pin[1] === '==' && pin[2]!.includes('*')))
    return { skip: 'not pinned with == (a range is not a version)', what: `${name} ${rest}`.slice(0, 80) };
  const version = pin[2]!;
  if (!VERSION.test(version)) return { skip: 'not a valid version', what: `${name} ${rest}`.slice(0, 80) };
  return { entry: pypiEntry(name, version, marker ? { marker } : {}) };
}

export function parseRequirements(text: string): LockParse {
  const entries: LockEntry[] = [];
  const skipped: LockParse['skipped'] = [];
  for (const line of logicalLines(text)) {
    const r = parseRequirementLine(line);
    if ('entry' in r) entries.push(r.entry);
    else skipped.push({ what: r.what, reason: r.skip });
  }
  return { entries, skipped };
}

/**
 * `requirements.txt`, `requirements-dev.txt`, `requirements_test.txt`, `requirements.prod.txt`, and the
 * prefixed forms `dev-requirements.txt`, `test_requirements.txt`.
 */
export function isRequirementsName(base: string): boolean {
  return /^(?:[A-Za-z0-9_.-]*[-_.])?requirements(?:[-_.][A-Za-z0-9_.-]*)?\.txt$/i.test(base);
}

/**
 * Files collected only as possible `-r` targets: `.txt` / `.in` files in a folder whose name says it holds
 * requirements (`requirements/`, `requirements.d/`, `reqs/`), e.g. `requirements/base.txt`. An include of
 * any other file name cannot be read in the image reader's one pass: it is a counted, logged note.
 */
export function isIncludeTarget(path: string): boolean {
  const segs = path.split('/');
  const dir = segs[segs.length - 2] ?? '';
  return /\.(?:txt|in)$/i.test(segs[segs.length - 1]!) && /^(?:requirements(?:[-_.][A-Za-z0-9]+)*|reqs?)$/i.test(dir);
}

/** The files a requirements file includes with `-r` / `--requirement` (constraints `-c` are not installs). */
export function requirementIncludes(text: string): string[] {
  const out: string[] = [];
  for (const line of logicalLines(text)) {
    const m = /^(?:-r\s*|--requirement(?:\s*=\s*|\s+))(\S+)/.exec(line);
    if (m) out.push(m[1]!);
  }
  return out;
}

export const requirementsAnalyzer = lockAnalyzer({
  format: 'requirements',
  what: 'requirements file',
  ...PYPI,
  maxSize: 4 * 1024 * 1024,
  fileName: isRequirementsName,
  includeTarget: isIncludeTarget,
  includes: requirementIncludes,
  parse: parseRequirements,
});
