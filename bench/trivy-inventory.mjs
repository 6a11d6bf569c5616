#!/usr/bin/env node
/**
 * Package inventory, ScanRook vs Trivy, on each shared image (and any archive given as an argument):
 * ScanRook's `packages[]` (node dist/cli.js scan … --format json) against Trivy's CycloneDX components
 * (shared/peers/trivy.sh ARCHIVE OUT.cdx.json). Packages are compared by purl type, name and version
 * (purl-decoded, so `1%3A2.3` = `1:2.3`). Prints a markdown section per image with the differences.
 *
 *   node bench/trivy-inventory.mjs [ARCHIVE...]      # default: every shared/images/*.tar*
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.SCANROOK_SHARED ?? join(repo, '..', 'shared');
const images = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync(join(shared, 'images'))
      .filter((f) => /\.tar(\.gz)?$/.test(f))
      .sort()
      .map((f) => join(shared, 'images', f));
const tmp = mkdtempSync(join(tmpdir(), 'trivy-inv-'));

/** pkg:TYPE/NS/NAME@VERSION?… → "TYPE NAME VERSION" (decoded). */
function keyOfPurl(purl) {
  const m = /^pkg:([^/]+)\/(.+?)@([^?#]+)/.exec(purl);
  if (!m) return null;
  const path = m[2].split('/').map(decodeURIComponent);
  const type = m[1];
  // npm scopes and golang module paths are part of the name
  const name = type === 'npm' || type === 'golang' ? path.join('/') : path[path.length - 1];
  return `${type} ${name} ${decodeURIComponent(m[3])}`;
}

const fmt = (set) => [...set].sort().map((k) => `\`${k}\``);
try {
  for (const img of images) {
    const name = basename(img);
    let sr;
    try {
      sr = JSON.parse(
        execFileSync(process.execPath, [join(repo, 'dist/cli.js'), 'scan', img, '--format', 'json', '-q'], {
          maxBuffer: 256 << 20,
          stdio: ['ignore', 'pipe', 'pipe'],
        }).toString(),
      );
    } catch (e) {
      // exit 1 (policy) and 3 (scan failed) still print the report; anything else is a broken CLI
      if (!e.stdout?.length)
        throw new Error(
          `ScanRook did not run on ${img}: ${e.stderr?.toString().trim().split('\n').slice(-3).join(' ')}`,
        );
      sr = JSON.parse(e.stdout.toString());
    }
    const ours = new Set(
      sr.packages.map((p) => (p.purl ? keyOfPurl(p.purl) : `${p.type} ${p.name} ${p.version}`)).filter(Boolean),
    );
    const out = join(tmp, `${name}.cdx.json`);
    let theirs = new Set();
    let trivyError = null;
    try {
      execFileSync('bash', [join(shared, 'peers/trivy.sh'), img, out], { stdio: ['ignore', 'ignore', 'pipe'] });
      const bom = JSON.parse(readFileSync(out, 'utf8'));
      const comps = [];
      const walk = (cs) => {
        for (const c of cs ?? []) {
          comps.push(c);
          walk(c.components);
        }
      };
      walk(bom.components);
      theirs = new Set(
        comps
          .filter((c) => c.purl)
          .map((c) => keyOfPurl(c.purl))
          .filter(Boolean),
      );
    } catch (e) {
      trivyError = (e.stderr?.toString() || e.message).trim().split('\n').slice(-2).join(' ');
    }
    const onlyOurs = new Set([...ours].filter((k) => !theirs.has(k)));
    const onlyTheirs = new Set([...theirs].filter((k) => !ours.has(k)));
    console.log(`### ${name}`);
    console.log();
    console.log(
      `ScanRook ${ours.size} packages (${sr.scan_status}, os ${sr.os?.id ?? 'none'} ${sr.os?.version_id ?? ''}), Trivy ${trivyError ? `failed: ${trivyError}` : `${theirs.size} packages`}, both ${[...ours].filter((k) => theirs.has(k)).length}.`,
    );
    if (onlyOurs.size)
      console.log(
        `\n- only ScanRook (${onlyOurs.size}): ${fmt(onlyOurs).slice(0, 40).join(', ')}${onlyOurs.size > 40 ? ', …' : ''}`,
      );
    if (onlyTheirs.size)
      console.log(
        `\n- only Trivy (${onlyTheirs.size}): ${fmt(onlyTheirs).slice(0, 40).join(', ')}${onlyTheirs.size > 40 ? ', …' : ''}`,
      );
    console.log();
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
