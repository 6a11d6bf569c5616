/**
 * Decompression bombs: a real image archive (hello-world, legacy docker save) whose layer is replaced by a
 * small compressed tar that inflates to `inflated` bytes: one file of zeros, then the end-of-archive blocks.
 *  - gzip: concatenated gzip members (RFC 1952 allows it; zlib's gunzip reads them all), 1 MiB of zeros each;
 *  - zstd: one frame of RLE blocks (RFC 8878 §3.1.1.2: block type 1 repeats one byte up to 128 KiB), so
 *    about 4 bytes per 128 KiB. Node has no zstd compressor before v22.15, so the frame is written by hand.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { sharedPath } from '../../helpers/shared.js';
import { BLOCK, fixChecksum, header, members } from './tar-edit.js';

const MIB = 1 << 20;

function tarHead(inflated: number): Buffer {
  // base-256 size when the octal field (11 digits, < 8 GiB) is too small
  const h = header('bomb.bin', { size: 0 });
  if (inflated < 8 * 1024 ** 3) h.write(inflated.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
  else {
    h.fill(0, 124, 136);
    h[124] = 0x80;
    let v = inflated;
    for (let i = 135; i > 124; i--) {
      h[i] = v % 256;
      v = Math.floor(v / 256);
    }
  }
  fixChecksum(h, 0);
  return h;
}

/** A gzip layer: the tar header, `inflated` bytes of zeros (a multiple of 1 MiB), the end marker. */
export function gzipBomb(inflated: number): Buffer {
  const zeros = gzipSync(Buffer.alloc(MIB), { level: 9 });
  const parts = [gzipSync(tarHead(inflated))];
  for (let i = 0; i < inflated / MIB; i++) parts.push(zeros);
  parts.push(gzipSync(Buffer.alloc(2 * BLOCK)));
  return Buffer.concat(parts);
}

function blockHeader(last: boolean, type: 0 | 1, size: number): Buffer {
  const v = (last ? 1 : 0) | (type << 1) | (size << 3);
  return Buffer.from([v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff]);
}

/** A zstd layer: same content, one frame, window 128 KiB, raw block for the header then RLE blocks. */
export function zstdBomb(inflated: number): Buffer {
  const BLK = 128 * 1024;
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.from([0x00]), Buffer.from([7 << 3])];
  const head = tarHead(inflated);
  parts.push(blockHeader(false, 0, head.length), head);
  let left = inflated + 2 * BLOCK;
  while (left > 0) {
    const n = Math.min(BLK, left);
    left -= n;
    parts.push(blockHeader(left === 0, 1, n), Buffer.from([0]));
  }
  return Buffer.concat(parts);
}

/** hello-world.docker.tar with its layer member's body replaced by `layer`. */
export function imageWithLayer(layer: Buffer): Buffer {
  const orig = readFileSync(sharedPath('images', 'hello-world.docker.tar'));
  const ms = members(orig).filter((m) => m.depth === 0);
  const manifest = ms.find((m) => m.name === 'manifest.json');
  if (!manifest) throw new Error('hello-world.docker.tar has no manifest.json');
  const layerPath = (
    JSON.parse(orig.toString('utf8', manifest.data, manifest.data + manifest.size)) as { Layers: string[] }[]
  )[0]!.Layers[0];
  const target = ms.find((m) => m.name === layerPath);
  if (!target) throw new Error(`hello-world.docker.tar has no ${layerPath} member`);
  const h = Buffer.from(orig.subarray(target.header, target.header + BLOCK));
  h.write(layer.length.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
  fixChecksum(h, 0);
  const pad = Buffer.alloc((BLOCK - (layer.length % BLOCK)) % BLOCK);
  const after = target.data + Math.ceil(target.size / BLOCK) * BLOCK;
  return Buffer.concat([orig.subarray(0, target.header), h, layer, pad, orig.subarray(after)]);
}

/**
 * A gzip layer (concatenated members) holding `before`, then bomb.bin of `inflated` zeros (a multiple of
 * 1 MiB), then `after`, then the end marker: a legitimate big file of zeros amid real files.
 */
export function gzipZerosBetween(inflated: number, before: readonly Buffer[], after: readonly Buffer[]): Buffer {
  const zeros = gzipSync(Buffer.alloc(MIB), { level: 9 });
  const parts = [gzipSync(Buffer.concat([...before, tarHead(inflated)]))];
  for (let i = 0; i < inflated / MIB; i++) parts.push(zeros);
  parts.push(gzipSync(Buffer.concat([...after, Buffer.alloc(2 * BLOCK)])));
  return Buffer.concat(parts);
}
