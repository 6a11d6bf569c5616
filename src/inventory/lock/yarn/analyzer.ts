/**
 * `yarn.lock`, deep mode: Yarn 1 (classic, its own indented format) and Yarn 2+ (berry, YAML with a
 * `__metadata` entry).
 * - Classic: an entry starts with an unindented line listing the specs it satisfies (`a@^1, a@^1.2:`),
 *   followed by indented fields (`version "1.2.3"`, `resolved "…"`); npm-written yarn.lock files quote the
 *   field names too. The name comes from the first spec; an alias spec `alias@npm:real@^1` names `real`.
 *   A spec with any other protocol (`git+…`, `file:`, `link:`, a URL, an unknown one), a GitHub shorthand
 *   (`owner/repo#ref`, any range with a `/`), or a git/file `resolved` or one from a git host's tarball
 *   service (`https://codeload.github.com/…`) is not a registry release: skipped and counted, as package-lock
 *   does with git/file/link entries (a registry advisory for the same name is about another package).
 * - Berry: the name comes from `resolution` (`name@npm:1.2.3`, aliases resolve to the real name); only
 *   `npm:` resolutions are registry releases — `workspace:` (the project), `patch:` (a patched copy of an npm
 *   entry the file also lists), `git`, `file:`, `link:`, `portal:`, `exec:` are skipped.
 * Yarn does not mark dev dependencies in its lockfile; no metadata.dev here.
 */
import { parse as parseYaml } from 'yaml';
import { isObject } from '../../../util/is-object.js';
import { npmPurlParts } from '../../lang/npm/analyzer.js';
import { type LockEntry, LockError, type LockParse, lockAnalyzer } from '../common.js';

/** Splits `name@range` at the `@` after the (possibly scoped) name. */
function splitSpec(spec: string): [string, string] | null {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  if (at <= 0) return null;
  return [spec.slice(0, at), spec.slice(at + 1)];
}

function unquote(s: string): string {
  s = s.trim();
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

const PROTOCOL = /^[a-z][a-z0-9+.-]*:/i;
const NOT_REGISTRY_RESOLVED = /^(?:git\+|git:|github:|gitlab:|bitbucket:|file:|link:|ssh:)/;
/** Hosts that serve git snapshots (GitHub/GitLab/Bitbucket tarballs), never registry releases. */
const GIT_TARBALL_HOST = /^https?:\/\/(?:codeload\.github\.com|github\.com|gitlab\.com|bitbucket\.org)\//i;

/**
 * A classic spec range that is not a registry range: a protocol (`git+…`, `file:`, `github:`, a URL), or a
 * hosted-git shorthand / path — a range with a `/` in it (`owner/repo#ref`, `./dir`): npm ranges and dist-tags
 * never contain one, npm-package-arg reads such a spec as GitHub shorthand or a path.
 */
function notRegistryRange(range: string): boolean {
  return PROTOCOL.test(range) || range.includes('/');
}

function notRegistryResolved(resolved: string | undefined): boolean {
  return resolved !== undefined && (NOT_REGISTRY_RESOLVED.test(resolved) || GIT_TARBALL_HOST.test(resolved));
}

function classic(text: string): LockParse {
  const entries: LockEntry[] = [];
  const skipped: LockParse['skipped'] = [];
  let cur: { specs: string; version?: string; resolved?: string } | null = null;
  const flush = () => {
    if (!cur) return;
    const specs = cur.specs.split(',').map(unquote).filter(Boolean);
    const first = specs[0] ? splitSpec(specs[0]) : null;
    if (!first) {
      skipped.push({ what: cur.specs.slice(0, 80), reason: 'entry without a name@range spec' });
    } else if (!cur.version) {
      skipped.push({ what: first[0], reason: 'no version' });
    } else {
      let [name, range] = first;
      if (range.startsWith('npm:')) {
        const real = splitSpec(range.slice(4));
        if (real) [name, range] = real;
        else range = range.slice(4); // `alias@npm:^1.0` would not parse; keep the alias name
      }
      if (notRegistryRange(range) || notRegistryResolved(cur.resolved)) {
        skipped.push({
          what: `${name}@${range}`.slice(0, 120),
          reason: 'not from a registry (protocol, git, file or URL)',
        });
      } else {
        entries.push({ name, version: cur.version });
      }
    }
    cur = null;
  };
  const lines = text.split(/\r?\n/);
  for (const line of lines) {
    if (line === '' || line.trimStart().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      flush();
      if (!line.endsWith(':')) throw new LockError(`unexpected top-level line ${JSON.stringify(line.slice(0, 80))}`);
      cur = { specs: line.slice(0, -1) };
      continue;
    }
    if (!cur) throw new LockError(`indented line before any entry: ${JSON.stringify(line.slice(0, 80))}`);
    const m = /^ {2}("?)(version|resolved)\1[ :]\s*(.*)$/.exec(line);
    if (m) cur[m[2] as 'version' | 'resolved'] = unquote(m[3]!);
  }
  flush();
  return { entries, skipped };
}

function berry(text: string): LockParse {
  const doc: unknown = parseYaml(text, { maxAliasCount: 100, uniqueKeys: false });
  if (!isObject(doc)) throw new LockError('not a YAML mapping');
  const entries: LockEntry[] = [];
  const skipped: LockParse['skipped'] = [];
  for (const [key, v] of Object.entries(doc)) {
    if (key === '__metadata') continue;
    if (!isObject(v)) {
      skipped.push({ what: key.slice(0, 80), reason: 'entry is not a mapping' });
      continue;
    }
    const resolution = typeof v.resolution === 'string' ? v.resolution : '';
    const split = splitSpec(resolution);
    const version = typeof v.version === 'string' || typeof v.version === 'number' ? String(v.version) : '';
    if (!split || !version) {
      skipped.push({ what: key.slice(0, 80), reason: 'no resolution or version' });
      continue;
    }
    const [name, ref] = split;
    if (!ref.startsWith('npm:')) {
      const protocol = PROTOCOL.exec(ref)?.[0] ?? ref.slice(0, 20);
      skipped.push({ what: resolution.slice(0, 120), reason: `not from a registry (${protocol})` });
      continue;
    }
    entries.push({ name, version });
  }
  return { entries, skipped };
}

export function parseYarnLock(text: string): LockParse {
  return /^__metadata:/m.test(text) ? berry(text) : classic(text);
}

export const YARN_LOCK_MAX = 64 * 1024 * 1024;

export const yarnAnalyzer = lockAnalyzer({
  format: 'yarn',
  what: 'yarn.lock',
  type: 'npm',
  ecosystem: 'npm',
  maxSize: YARN_LOCK_MAX,
  fileName: (b) => b === 'yarn.lock',
  parse: parseYarnLock,
  purl: (e) => npmPurlParts(e.name, e.version),
});
