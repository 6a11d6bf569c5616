#!/usr/bin/env node
/**
 * Writes a legacy docker-save archive of one uncompressed layer holding N empty files (2,000,000 by default),
 * in folders of 1,000, streamed to disk (never held): the "2 M tiny files" input of issue 16, for measuring the
 * reader's memory per entry with bench/read.mjs.
 *
 *   node bench/fuzz/many-files.mjs OUT.tar [N]
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';

const out = process.argv[2];
const N = Number(process.argv[3] ?? 2_000_000);
if (!out) throw new Error('usage: many-files.mjs OUT.tar [N]');

function header(name, size, type) {
  const h = Buffer.alloc(512);
  const put = (off, len, v) => h.write(v, off, len, 'ascii');
  const oct = (off, len, v) => put(off, len, `${v.toString(8).padStart(len - 1, '0')}\0`);
  put(0, 100, name);
  oct(100, 8, type === '5' ? 0o755 : 0o644);
  oct(108, 8, 0);
  oct(116, 8, 0);
  oct(124, 12, size);
  oct(136, 12, 0);
  put(148, 8, '        ');
  put(156, 1, type);
  put(257, 6, 'ustar\0');
  put(263, 2, '00');
  let sum = 0;
  for (const b of h) sum += b;
  put(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}
const dirs = Math.ceil(N / 1000);
const layerSize = (1 + dirs + N) * 512 + 1024;
const layerName = 'layer0/layer.tar';
const fd = openSync(out, 'w');
let buf = [];
let len = 0;
const push = (b) => {
  buf.push(b);
  len += b.length;
  if (len >= 8 << 20) flush();
};
const flush = () => {
  writeSync(fd, Buffer.concat(buf));
  buf = [];
  len = 0;
};
const member = (name, body) => {
  push(header(name, body.length, '0'));
  push(body);
  const pad = (512 - (body.length % 512)) % 512;
  if (pad) push(Buffer.alloc(pad));
};
push(header(layerName, layerSize, '0'));
push(header('f/', 0, '5'));
for (let d = 0; d < dirs; d++) push(header(`f/d${d}/`, 0, '5'));
for (let i = 0; i < N; i++) push(header(`f/d${Math.floor(i / 1000)}/${i}`, 0, '0'));
push(Buffer.alloc(1024));
// layerSize is a multiple of 512: no padding
const config = JSON.stringify({
  architecture: 'amd64',
  os: 'linux',
  config: {},
  rootfs: { type: 'layers', diff_ids: [`sha256:${'0'.repeat(64)}`] },
  history: [{ created_by: `${N} empty files` }],
});
const cfg = `${createHash('sha256').update(config).digest('hex')}.json`;
member(cfg, Buffer.from(config));
member(
  'manifest.json',
  Buffer.from(JSON.stringify([{ Config: cfg, RepoTags: ['many/files:1'], Layers: [layerName] }])),
);
push(Buffer.alloc(1024));
flush();
closeSync(fd);
