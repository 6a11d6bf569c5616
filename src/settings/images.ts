/**
 * Image references (the `image` setting) and `image-tar` lines (a path, optionally `#<ref>`), checked the way
 * Docker checks them. Pure.
 */
import { InputError } from './values.js';

// Image references, after the grammar of the distribution project's reference format: an optional registry
// host (with port), lowercase path components joined by `/`, an optional `:tag` and an optional `@digest`.
// An image ID (`sha256:<hex>`, or a short hex ID) matches too, which `docker save` also accepts.
const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|-+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const HOST_LABEL = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${HOST_LABEL}(?:\\.${HOST_LABEL})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
// Digests whose algorithm Docker knows, with their exact hex length.
const DIGEST = 'sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128}';
const REFERENCE = new RegExp(
  `^((?:${HOST}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::${TAG})?(?:@(?:${DIGEST}))?$`,
);
const MAX_NAME_LENGTH = 255;
/** Longest host, name, tag and digest together (255 + 1 + 255 + 1 + 128 + 1 + 7 + 128), checked before the pattern runs. */
const MAX_REFERENCE_LENGTH = 776;

export const REFERENCE_ACCEPTS =
  'an image reference [registry/]name[:tag][@digest] with a lowercase name, such as "app:1.2" or "ghcr.io/org/app@sha256:…"';

export function isImageReference(s: string): boolean {
  if (s.length > MAX_REFERENCE_LENGTH) return false;
  const m = REFERENCE.exec(s);
  return m !== null && remoteNameLength(m[1]!) <= MAX_NAME_LENGTH;
}

/**
 * Length of the repository path as Docker limits it (255): the name without its registry host, with
 * `library/` in front of a one-component Docker Hub name. The first component is a host when it holds `.` or
 * `:`, is `localhost`, or has upper case letters. (Measured against the docker CLI, see the tests.)
 */
function remoteNameLength(name: string): number {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  if (slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase()))
    return name.length - slash - 1;
  return slash < 0 ? 'library/'.length + name.length : name.length;
}

export function parseImageReference(input: string, raw: string): string {
  const v = raw.trim();
  if (!isImageReference(v)) throw new InputError(input, raw, REFERENCE_ACCEPTS);
  return v;
}

/** An `image-tar` line: a path, optionally followed by `#<ref>` to pick one image from an archive holding several. */
export interface ImageTarSpec {
  path: string;
  /** The image to pick, or null for "the only one" (or the reader's own choice rule). */
  ref: string | null;
}

export const IMAGE_TAR_ACCEPTS =
  'a path to an image archive or OCI layout folder, optionally followed by "#<image reference>" (a path that itself contains "#" must end with a lone "#")';

/**
 * Splits an `image-tar` item at its last `#`. What follows must be an image reference; an empty remainder
 * (a trailing `#`) means no reference, which is how a path containing `#` is written (`build#1/x.tar#`).
 */
export function parseImageTarSpec(input: string, raw: string): ImageTarSpec {
  const v = raw.trim();
  const hash = v.lastIndexOf('#');
  const path = (hash < 0 ? v : v.slice(0, hash)).trim();
  const ref = hash < 0 ? '' : v.slice(hash + 1).trim();
  if (path === '' || v.includes('\0')) throw new InputError(input, raw, IMAGE_TAR_ACCEPTS);
  if (ref !== '' && !isImageReference(ref)) {
    throw new InputError(input, raw, `${IMAGE_TAR_ACCEPTS}; "${ref}" is not ${REFERENCE_ACCEPTS}`);
  }
  return { path, ref: ref === '' ? null : ref };
}
