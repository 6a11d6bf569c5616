/**
 * Path normalisation for entries inside an image: relative, no `./`, no leading `/`, no `//`, `.` and `..`
 * resolved lexically. A path whose `..` would climb above the root is hostile: `normalizeEntryPath` returns
 * null for it (the entry is ignored), `containPath` clamps it at the root (used for link targets and lookups).
 */

function split(p: string): string[] {
  return p.split('/').filter((s) => s !== '' && s !== '.');
}

/** Anything that needs the general path: `//`, `.`/`..` components, a leading `/`, NUL. */
const IRREGULAR = /\/\/|(^|\/)\.\.?(\/|$)|^\/|\0/;

/** Normalised relative path, '' for the root, or null when `..` escapes the root or the name has NUL. */
export function normalizeEntryPath(name: string): string | null {
  // fast path for the usual tar names (`usr/bin/x`, `./usr/bin/x`, `usr/share/`)
  let s = name;
  while (s.startsWith('./')) s = s.slice(2);
  if (s.endsWith('/') && !s.endsWith('//')) s = s.slice(0, -1);
  if (!IRREGULAR.test(s)) return s;
  if (name.includes('\0')) return null;
  const out: string[] = [];
  for (const part of split(name)) {
    if (part === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/** Normalised relative path where `..` at the root stays at the root (like the kernel does for `/..`). */
export function containPath(name: string): string {
  const out: string[] = [];
  for (const part of split(name.replace(/\0/g, ''))) {
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

export function dirnameOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i === -1 ? '' : p.slice(0, i);
}

export function basenameOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i === -1 ? p : p.slice(i + 1);
}

export function joinPath(dir: string, rel: string): string {
  return dir ? `${dir}/${rel}` : rel;
}

/** Target of a link member inside the outer archive: relative to its folder, or absolute from the root. */
export function linkTarget(linkPath: string, target: string): string | null {
  const joined = target.startsWith('/') ? target : joinPath(dirnameOf(linkPath), target);
  return normalizeEntryPath(joined);
}
