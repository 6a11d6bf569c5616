/**
 * Package URL parsing and the matching rule suppressions use (ignore-file `purl` and OpenVEX products).
 *
 * A rule purl R matches a package purl P when:
 *  - type, namespace and name are equal (type always case-insensitive; namespace/name case-insensitive for
 *    the types whose purl spec says they are lower-cased: deb, apk, rpm namespace, npm, pypi with `_`→`-`,
 *    composer, hex);
 *  - R has no version, or its version equals P's (exact, after percent-decoding);
 *  - every qualifier R names is present in P with the same value (R's qualifiers narrow; P may have more);
 *  - R has no subpath, or the same one.
 * This is not a string prefix: `pkg:npm/foo` never matches `pkg:npm/foobar`.
 */

export interface ParsedPurl {
  type: string;
  namespace: string | null;
  name: string;
  version: string | null;
  qualifiers: Record<string, string>;
  subpath: string | null;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const NAME_LOWER = new Set(['deb', 'apk', 'npm', 'pypi', 'composer', 'hex', 'alpm', 'bitbucket', 'github']);
const NS_LOWER = new Set(['deb', 'apk', 'rpm', 'composer', 'alpm', 'bitbucket', 'github', 'npm']);

/** Parses a purl; returns null when the string is not one (`pkg:type/name` at least). */
export function parsePurl(s: string): ParsedPurl | null {
  if (typeof s !== 'string' || !/^pkg:/i.test(s) || s.length > 4096) return null;
  let rest = s.slice(4).replace(/^\/+/, '');
  let subpath: string | null = null;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    subpath =
      rest
        .slice(hash + 1)
        .split('/')
        .filter((x) => x && x !== '.' && x !== '..')
        .map(decode)
        .join('/') || null;
    rest = rest.slice(0, hash);
  }
  const qualifiers: Record<string, string> = {};
  const q = rest.indexOf('?');
  if (q >= 0) {
    for (const pair of rest.slice(q + 1).split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) return null;
      const v = decode(pair.slice(eq + 1));
      if (v !== '') qualifiers[pair.slice(0, eq).toLowerCase()] = v;
    }
    rest = rest.slice(0, q);
  }
  const slash = rest.indexOf('/');
  if (slash <= 0) return null;
  const type = rest.slice(0, slash).toLowerCase();
  if (!/^[a-z.+-][a-z0-9.+-]*$/.test(type)) return null;
  rest = rest.slice(slash + 1).replace(/\/+$/, '');
  let version: string | null = null;
  const at = rest.lastIndexOf('@');
  // An '@' in the first segment of an npm namespace is encoded as %40 by the spec; a raw one before any '/'
  // after it would be a scope, which is only valid percent-encoded, so the last '@' starts the version.
  if (at >= 0 && rest.indexOf('/', at) < 0) {
    version = decode(rest.slice(at + 1)) || null;
    rest = rest.slice(0, at);
  }
  const segs = rest.split('/').filter(Boolean).map(decode);
  if (!segs.length) return null;
  let name = segs.pop()!;
  let namespace: string | null = segs.length ? segs.join('/') : null;
  if (NAME_LOWER.has(type)) name = name.toLowerCase();
  if (type === 'pypi') name = name.replace(/_/g, '-');
  if (namespace && NS_LOWER.has(type)) namespace = namespace.toLowerCase();
  if (!name) return null;
  return { type, namespace, name, version, qualifiers, subpath };
}

/** Does rule purl `rule` select package purl `pkg` (see the file comment)? */
export function purlMatches(rule: ParsedPurl, pkg: ParsedPurl): boolean {
  if (rule.type !== pkg.type || rule.name !== pkg.name || (rule.namespace ?? '') !== (pkg.namespace ?? ''))
    return false;
  if (rule.version !== null && rule.version !== pkg.version) return false;
  for (const [k, v] of Object.entries(rule.qualifiers)) if (pkg.qualifiers[k] !== v) return false;
  if (rule.subpath !== null && rule.subpath !== pkg.subpath) return false;
  return true;
}
