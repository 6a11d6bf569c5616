/**
 * Builds the load-bench images with the same code the load tests use (test/load/images.ts):
 *   many-50000.docker.tar      one layer: Debian 12 os-release + a dpkg status of 50,000 records (the 767 real
 *                              records repeated, copy k renamed `<name>-rk`)
 *   apk-50000.docker.tar       one layer: Alpine 3.19 os-release + lib/apk/db/installed of 50,000 records (the
 *                              shared apk DBs' records repeated and renamed: synthetic-dbs.ts)
 *   rpm-10000.docker.tar       one layer: CBL-Mariner 2.0 os-release + var/lib/rpm/rpmdb.sqlite of 10,000
 *                              packages (the shared CBL-Mariner headers repeated and renamed)
 *   status-100mib.docker.tar   Debian 12's real status with a 100 MiB padded Description in its middle
 * Usage (through bench/load/make-images.mjs): OUTDIR [NAME…] (default: all)
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSqlJs } from '../../src/vulndb/sqlite.js';
import { debianRoot, packImage, packLayer, realStatusRecords, syntheticStatus } from '../../test/load/images.js';
import { syntheticApkInstalled, syntheticRpmdb } from './synthetic-dbs.js';

const arg = process.argv[2];
if (!arg) throw new Error('usage: make-images-driver OUTDIR [NAME…]');
const out: string = arg;
const only = process.argv.slice(3);
const shared = process.env.SCANROOK_SHARED ?? join(process.cwd(), '..', 'shared');
mkdirSync(out, { recursive: true });

/** A one-layer image from a root folder filled by `fill`. */
function image(name: string, tag: string, fill: (root: string) => void): void {
  if (only.length && !only.includes(name)) return;
  const tmp = join(out, `tmp-${name}`);
  rmSync(tmp, { recursive: true, force: true });
  const root = join(tmp, 'root');
  mkdirSync(root, { recursive: true });
  fill(root);
  packImage([packLayer(root, join(tmp, 'layer.tar'))], join(out, `${name}.docker.tar`), 'docker-legacy', tag);
  rmSync(tmp, { recursive: true, force: true });
  console.log(join(out, `${name}.docker.tar`));
}

function write(root: string, path: string, body: string | Uint8Array): void {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, body);
}

image('many-50000', 'scanrook-load/many:50000', (root) => debianRoot(root, syntheticStatus(50_000).text));

image('apk-50000', 'scanrook-load/apk:50000', (root) => {
  write(
    root,
    'etc/os-release',
    'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n',
  );
  write(root, 'lib/apk/db/installed', syntheticApkInstalled(shared, 50_000).text);
});

const SQL = await loadSqlJs();
image('rpm-10000', 'scanrook-load/rpm:10000', (root) => {
  write(
    root,
    'etc/os-release',
    'NAME="Common Base Linux Mariner"\nVERSION="2.0.20230630"\nID=mariner\nVERSION_ID="2.0"\nPRETTY_NAME="CBL-Mariner/Linux"\n',
  );
  write(root, 'var/lib/rpm/rpmdb.sqlite', syntheticRpmdb(shared, 10_000, SQL).db);
});

image('status-100mib', 'scanrook-load/status:100mib', (root) => {
  const records = realStatusRecords();
  const mid = records.length >> 1;
  const padded = records[mid]!.replace(
    /^Description: (.*)$/m,
    (_l, d) => `Description: ${d}\n ${'x'.repeat(100 * 1024 * 1024)}`,
  );
  const text = `${[...records.slice(0, mid), padded, ...records.slice(mid + 1)].join('\n\n')}\n`;
  debianRoot(root, text);
});
