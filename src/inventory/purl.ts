/** Package URLs (https://github.com/package-url/purl-spec): type, namespace, name, version, qualifiers. */

function enc(s: string): string {
  // purl percent-encodes everything but unreserved characters; '+' stays readable in versions.
  return encodeURIComponent(s)
    .replace(/%2B/gi, '+')
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export interface PurlParts {
  type: string;
  namespace?: string | null;
  name: string;
  version?: string | null;
  qualifiers?: Record<string, string | null | undefined>;
  subpath?: string | null;
}

export function purl(p: PurlParts): string {
  let s = `pkg:${p.type.toLowerCase()}/`;
  if (p.namespace) s += p.namespace.split('/').map(enc).join('/') + '/';
  s += enc(p.name);
  if (p.version) s += '@' + enc(p.version);
  const q = Object.entries(p.qualifiers ?? {})
    .filter((e): e is [string, string] => e[1] !== null && e[1] !== undefined && e[1] !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (q.length) s += '?' + q.map(([k, v]) => `${k.toLowerCase()}=${enc(v)}`).join('&');
  if (p.subpath) s += '#' + p.subpath.split('/').filter(Boolean).map(enc).join('/');
  return s;
}
