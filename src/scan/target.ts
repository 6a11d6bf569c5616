/** Turns a command-line argument into a scan input: an archive/folder path or a docker image reference. */
import { existsSync } from 'node:fs';
import type { ScanInput } from './input.js';

const ARCHIVE_SUFFIX = /\.(tar|tar\.gz|tgz|tar\.zst|oci)$/i;

export function targetFromArgument(arg: string, ref?: string): ScanInput {
  if (arg.startsWith('docker:')) return { kind: 'docker', ref: arg.slice('docker:'.length) };
  if (arg.startsWith('file:')) return { kind: 'path', path: arg.slice('file:'.length), ...(ref ? { ref } : {}) };
  const looksLikePath =
    existsSync(arg) || ARCHIVE_SUFFIX.test(arg) || arg.startsWith('/') || arg.startsWith('./') || arg.startsWith('../');
  if (looksLikePath) return { kind: 'path', path: arg, ...(ref ? { ref } : {}) };
  return { kind: 'docker', ref: arg };
}
