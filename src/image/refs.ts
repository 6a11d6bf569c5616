/** Image references as archives write them (RepoTags, ref.name annotations), compared loosely. */

/** `alpine` → `docker.io/library/alpine:latest`; a bare tag (`3.19`, as Docker 25+ writes ref.name) stays. */
export function normalizeRef(ref: string): string {
  let r = ref.trim();
  const at = r.indexOf('@');
  const digest = at >= 0 ? r.slice(at) : '';
  if (at >= 0) r = r.slice(0, at);
  const slash = r.lastIndexOf('/');
  const colon = r.lastIndexOf(':');
  if (colon <= slash && !digest) r += ':latest';
  const first = r.split('/')[0]!;
  const hasRegistry = r.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) r = r.includes('/') ? `docker.io/${r}` : `docker.io/library/${r}`;
  return r + digest;
}

export function refMatches(have: string, want: string): boolean {
  if (have === want) return true;
  // a bare tag (Docker 25+ `org.opencontainers.image.ref.name`) matches only literally
  if (!/[/:@]/.test(have) && /^[\w][\w.-]*$/.test(have)) return false;
  return normalizeRef(have) === normalizeRef(want);
}

export function describeRefs(refs: string[][]): string {
  return refs.map((r) => (r.length ? r.join(' / ') : '(untagged)')).join(', ');
}
