/**
 * The input stage: what did the user give us, and can it be opened at all? Cheap checks only (stat and a
 * few magic bytes), so a wrong path or a file that is no image archive ends the job with two events.
 */
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fmtBytes } from '../util/bytes.js';

export type ScanInput = { kind: 'docker'; ref: string } | { kind: 'path'; path: string; ref?: string };

export type InputCheck =
  | { ok: true; description: string; size: number }
  | { ok: false; code: 'file_not_found' | 'unsupported_media_type'; message: string };

export function describeInput(input: ScanInput): string {
  return input.kind === 'docker'
    ? `docker image ${input.ref}`
    : input.path + (input.ref ? ` (image ${input.ref})` : '');
}

/** What the first bytes of a file say it is. */
export function sniffMagic(head: Buffer): 'gzip' | 'zstd' | 'tar' | 'empty' | 'unknown' {
  if (head.length === 0) return 'empty';
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  if (head.length >= 512 && tarChecksumOk(head.subarray(0, 512))) return 'tar';
  return 'unknown';
}

/** A pre-POSIX (v7) tar header has no magic; its checksum still identifies it. */
function tarChecksumOk(h: Buffer): boolean {
  const field = h.subarray(148, 156).toString('latin1').replace(/\0.*$/s, '').trim();
  if (!/^[0-7]+$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  return sum === parseInt(field, 8) && h[0] !== 0;
}

export async function checkInput(input: ScanInput): Promise<InputCheck> {
  if (input.kind === 'docker') return { ok: true, description: `docker save ${input.ref}`, size: 0 };
  const path = input.path;
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES'
          ? 'cannot be read (permission denied)'
          : `cannot be opened (${code ?? String(e)})`;
    return { ok: false, code: 'file_not_found', message: `${path} ${why}` };
  }
  if (st.isDirectory()) {
    try {
      await stat(join(path, 'index.json'));
      return { ok: true, description: `OCI layout folder ${path}`, size: 0 };
    } catch {
      return {
        ok: false,
        code: 'unsupported_media_type',
        message: `${path} is a folder but not an OCI layout (no index.json in it)`,
      };
    }
  }
  if (!st.isFile())
    return { ok: false, code: 'unsupported_media_type', message: `${path} is not a regular file or folder` };
  let head: Buffer;
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(512);
      const { bytesRead } = await fh.read(buf, 0, 512, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    return {
      ok: false,
      code: 'file_not_found',
      message: `${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    };
  }
  const kind = sniffMagic(head);
  if (kind === 'empty')
    return { ok: false, code: 'unsupported_media_type', message: `${path} is empty (0 bytes): not an image archive` };
  if (kind === 'unknown' && head.length >= 4 && head.readUInt32BE(0) === 0x7f454c46) {
    return {
      ok: false,
      code: 'unsupported_media_type',
      message: `${path} is an executable (ELF), not an image archive: scan a single binary with \`scanrook bin ${path}\``,
    };
  }
  if (kind === 'unknown') {
    return {
      ok: false,
      code: 'unsupported_media_type',
      message: `${path} is not a tar or gzip archive: expected a docker save archive, an OCI image archive (.tar, .tar.gz) or an OCI layout folder`,
    };
  }
  return {
    ok: true,
    description: `${kind === 'tar' ? 'tar' : kind} archive ${path} (${fmtBytes(st.size)})`,
    size: st.size,
  };
}
