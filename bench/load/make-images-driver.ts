/**
 * Builds the load-bench images with the same code the load tests use (test/load/images.ts):
 *   many-50000.docker.tar  one layer: Debian 12 os-release + a dpkg status of 50,000 records (the 767 real
 *                          records repeated, copy k renamed `<name>-rk`)
 * Usage (through bench/load/make-images.mjs): OUTDIR
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { debianRoot, packImage, packLayer, syntheticStatus } from '../../test/load/images.js';

const out = process.argv[2];
if (!out) throw new Error('usage: make-images-driver OUTDIR');
mkdirSync(out, { recursive: true });
const tmp = join(out, 'tmp-many');
rmSync(tmp, { recursive: true, force: true });
const root = debianRoot(join(tmp, 'root'), syntheticStatus(50_000).text);
packImage(
  [packLayer(root, join(tmp, 'layer.tar'))],
  join(out, 'many-50000.docker.tar'),
  'docker-legacy',
  'scanrook-load/many:50000',
);
rmSync(tmp, { recursive: true, force: true });
console.log(join(out, 'many-50000.docker.tar'));
