/**
 * Builds load-test images in a temp folder with the shared engine-free packer (shared/images/scripts/
 * pack-image.py): real dpkg records repeated under unique names, layers of many small files.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from '../helpers/shared.js';

const PACK = sharedPath('images', 'scripts', 'pack-image.py');
export const DPKG_767 = sharedPath('data', 'pkgdb', 'dpkg', 'debian12-bookworm-767');

export type PackFormat = 'docker-legacy' | 'docker-oci' | 'oci' | 'oci-uncompressed';

/** An uncompressed layer tar holding the whole of `upper`. */
export function packLayer(upper: string, out: string): string {
  execFileSync('python3', [PACK, 'layer', '--upper', upper, '-o', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  return out;
}

export function packImage(
  layers: readonly string[],
  out: string,
  format: PackFormat,
  tag = 'scanrook-load/test:1',
): string {
  execFileSync(
    'python3',
    [
      PACK,
      'image',
      ...layers.flatMap((l) => ['--layer', l]),
      '--tag',
      tag,
      '--format',
      format,
      '--created',
      '2025-01-01T00:00:00Z',
      '-o',
      out,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 << 20 },
  );
  return out;
}

/** The real status records of Debian 12 (767), in file order. */
export function realStatusRecords(): string[] {
  const text = readFileSync(join(DPKG_767, 'var', 'lib', 'dpkg', 'status'), 'utf8');
  return text
    .split(/\n[ \t]*\n/)
    .map((r) => r.replace(/^\n+|\n+$/g, ''))
    .filter((r) => /^Package:/m.test(r));
}

/**
 * A status file of `n` records: the real records in turn, copy k > 0 of each renamed `<name>-rk`
 * (every other field kept as dpkg wrote it). Returns the text and the names in file order.
 */
export function syntheticStatus(n: number): { text: string; names: string[] } {
  const records = realStatusRecords();
  const out: string[] = [];
  const names: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const r = records[i % records.length]!;
    const copy = Math.floor(i / records.length);
    const name = /^Package: (.+)$/m.exec(r)![1]!.trim();
    const renamed = copy === 0 ? name : `${name}-r${copy}`;
    out.push(copy === 0 ? r : r.replace(/^Package: .+$/m, `Package: ${renamed}`));
    names.push(renamed);
  }
  return { text: `${out.join('\n\n')}\n`, names };
}

/** A root with Debian 12's os-release and a dpkg status of the given text (an admindir dpkg-query can read). */
export function debianRoot(dir: string, statusText: string): string {
  mkdirSync(join(dir, 'etc'), { recursive: true });
  mkdirSync(join(dir, 'var', 'lib', 'dpkg', 'info'), { recursive: true });
  mkdirSync(join(dir, 'var', 'lib', 'dpkg', 'updates'), { recursive: true });
  copyFileSync(join(DPKG_767, 'etc', 'os-release'), join(dir, 'etc', 'os-release'));
  copyFileSync(join(DPKG_767, 'etc', 'debian_version'), join(dir, 'etc', 'debian_version'));
  writeFileSync(join(dir, 'var', 'lib', 'dpkg', 'status'), statusText);
  return dir;
}

/** One ustar header block (POSIX 1003.1-1988 layout). */
function ustarHeader(name: string, size: number, type: '0' | '5', mode: number): Buffer {
  const h = Buffer.alloc(512);
  const put = (off: number, len: number, v: string) => h.write(v, off, len, 'ascii');
  const oct = (off: number, len: number, v: number) => put(off, len, v.toString(8).padStart(len - 1, '0') + '\0');
  put(0, 100, name);
  oct(100, 8, mode);
  oct(108, 8, 0);
  oct(116, 8, 0);
  oct(124, 12, size);
  oct(136, 12, 0);
  put(148, 8, '        ');
  put(156, 1, type);
  put(257, 6, 'ustar\0');
  put(263, 2, '00');
  put(265, 32, 'root');
  put(297, 32, 'root');
  let sum = 0;
  for (const b of h) sum += b;
  put(148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

/**
 * An uncompressed layer tar of `files` small regular files (`data/dNNN/fNNNNNN`, 100 bytes each) under one
 * directory per thousand: a layer that takes the reader a while to walk. GNU tar lists it (see the test).
 */
export function manyFilesLayer(out: string, files: number): string {
  const body = Buffer.alloc(512);
  body.fill(0x78, 0, 100);
  const parts: Buffer[] = [];
  for (let d = 0; d < Math.ceil(files / 1000); d++)
    parts.push(ustarHeader(`data/d${String(d).padStart(3, '0')}/`, 0, '5', 0o755));
  for (let i = 0; i < files; i++) {
    parts.push(
      ustarHeader(
        `data/d${String(Math.floor(i / 1000)).padStart(3, '0')}/f${String(i).padStart(6, '0')}`,
        100,
        '0',
        0o644,
      ),
      body,
    );
  }
  parts.push(Buffer.alloc(1024));
  writeFileSync(out, Buffer.concat(parts));
  return out;
}
