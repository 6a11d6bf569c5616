#!/usr/bin/env node
/**
 * Prints the shell pipeline of the "floor" for an image archive: the least work any reader must do, which is
 * to read every tar header of every layer (decompressing the layers that are compressed). Used by
 * bench/image-read.sh; the layer list comes from the archive's own manifest (not timed).
 *
 *   plain outer tar, uncompressed layers:  tar -xOf A L1 L2 ... | tar -t -i        (one pass, as in the issue)
 *   plain outer tar, gzip/zstd layers:     for each layer in turn: tar -xOf A L | gzip -dc | tar -t
 *   gzip-compressed outer archive:         gzip -dc A | tar -xO L1 L2 ... | tar -t -i
 *
 *   node bench/lib/floor-cmd.mjs ARCHIVE
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';

const archive = process.argv[2];
if (!archive) {
  console.error('usage: floor-cmd.mjs ARCHIVE');
  process.exit(2);
}
const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

const head = Buffer.alloc(4);
const fd = openSync(archive, 'r');
readSync(fd, head, 0, 4, 0);
closeSync(fd);
const outerGzip = head[0] === 0x1f && head[1] === 0x8b;
const cat = outerGzip ? `gzip -dc ${q(archive)} | tar -xO` : `tar -xOf ${q(archive)}`;

const member = (name) => {
  try {
    const args = outerGzip ? ['-xzOf', archive, name] : ['-xOf', archive, name];
    return execFileSync('tar', args, { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
  } catch {
    return null;
  }
};
const blob = (digest) => `blobs/${digest.replace(':', '/')}`;

/** [path in the archive, compression] for each layer of the (first) image. */
function layers() {
  const manifest = member('manifest.json');
  if (manifest) {
    const m = JSON.parse(manifest.toString())[0];
    return m.Layers.map((p) => [p, null]);
  }
  const index = JSON.parse(member('index.json').toString());
  let desc = index.manifests[0];
  for (;;) {
    const doc = JSON.parse(member(blob(desc.digest)).toString());
    if (doc.manifests) {
      desc =
        doc.manifests.find((d) => !d.platform || (d.platform.os === 'linux' && d.platform.architecture === 'amd64')) ??
        doc.manifests[0];
      continue;
    }
    return doc.layers.map((l) => [
      blob(l.digest),
      /zstd/.test(l.mediaType) ? 'zstd' : /gzip/.test(l.mediaType) ? 'gzip' : null,
    ]);
  }
}

const ls = layers();
// the media type can lie (docker save names gzip layers .tar too): sniff the layer's first bytes
const sniffed = ls.map(([p, c]) => {
  const cmd = `${cat} ${q(p)} | head -c 4 | od -An -tx1`;
  const hex = execFileSync('sh', ['-c', cmd], { stdio: ['ignore', 'pipe', 'ignore'] })
    .toString()
    .replace(/\s/g, '');
  if (hex.startsWith('1f8b')) return [p, 'gzip'];
  if (hex === '28b52ffd') return [p, 'zstd'];
  return [p, c && hex.length === 0 ? c : null];
});
if (sniffed.every(([, c]) => c === null)) {
  console.log(`${cat} ${sniffed.map(([p]) => q(p)).join(' ')} | tar -t -i >/dev/null`);
} else {
  const dec = { gzip: 'gzip -dc', zstd: 'zstd -dc' };
  console.log(sniffed.map(([p, c]) => `${cat} ${q(p)} | ${c ? `${dec[c]} | ` : ''}tar -t -i >/dev/null`).join(' && '));
}
