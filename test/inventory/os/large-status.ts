/**
 * Generator of docker-save archives whose dpkg status files are larger than memory should hold: written to a
 * file piece by piece (a padded Description of any size costs one 1 MiB buffer), never built in memory.
 * Layer tars are named L<i>/layer.tar; their diff_ids are placeholders (the reader does not hash layers).
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const BLOCK = 512;

/** A file of a layer: its path and its body as pieces (strings, or `{ pad: n }`: n bytes of 'a'). */
export interface BigFile {
  path: string;
  pieces: (string | { pad: number })[];
}

function pieceSize(p: string | { pad: number }): number {
  return typeof p === 'string' ? Buffer.byteLength(p) : p.pad;
}

function fileSize(f: BigFile): number {
  return f.pieces.reduce((n, p) => n + pieceSize(p), 0);
}

const padded = (n: number) => Math.ceil(n / BLOCK) * BLOCK;

/** A ustar header (name ≤ 100 bytes, octal size: files up to 8 GiB). */
function header(name: string, size: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

function layerSize(files: readonly BigFile[]): number {
  return files.reduce((n, f) => n + BLOCK + padded(fileSize(f)), 0) + 2 * BLOCK;
}

/** Writes a legacy docker-save archive of these layers to `out`. */
export function writeBigDockerSave(out: string, layers: readonly BigFile[][]): void {
  const fd = openSync(out, 'w');
  const pad = Buffer.alloc(1 << 20, 0x61);
  const zeros = Buffer.alloc(BLOCK);
  const put = (b: Buffer | string) => writeSync(fd, typeof b === 'string' ? Buffer.from(b) : b);
  const member = (name: string, size: number, body: () => void) => {
    put(header(name, size));
    body();
    const rest = padded(size) - size;
    if (rest) put(zeros.subarray(0, rest));
  };
  const file = (f: BigFile) =>
    member(f.path, fileSize(f), () => {
      for (const p of f.pieces) {
        if (typeof p === 'string') put(p);
        else for (let left = p.pad; left > 0; left -= pad.length) put(pad.subarray(0, Math.min(left, pad.length)));
      }
    });
  try {
    const config = JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: layers.map((_, i) => `sha256:${String(i).padStart(64, '0')}`) },
      history: layers.map((_, i) => ({ created_by: `layer ${i}` })),
    });
    file({ path: 'config.json', pieces: [config] });
    for (const [i, files] of layers.entries()) {
      member(`L${i}/layer.tar`, layerSize(files), () => {
        for (const f of files) file(f);
        put(Buffer.alloc(2 * BLOCK));
      });
    }
    const manifest = JSON.stringify([
      { Config: 'config.json', RepoTags: ['big/status:1'], Layers: layers.map((_, i) => `L${i}/layer.tar`) },
    ]);
    file({ path: 'manifest.json', pieces: [manifest] });
    put(Buffer.alloc(2 * BLOCK));
  } finally {
    closeSync(fd);
  }
}

/** A dpkg record, installed. */
export function record(name: string, version: string, description: string | null = 'generated'): string {
  return `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n${description === null ? '' : `Description: ${description}\n`}`;
}
