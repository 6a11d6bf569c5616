#!/usr/bin/env node
/**
 * Light mode's time with the binaries' reading against without it (issue 12 item 3), on the same input in
 * the same run, runs interleaved (with, without, with, …), one scan per fresh node process; prints the
 * medians and the ratio. Default input: the large benchmark image (see BENCHMARKS.md), as an archive file
 * (seeking), as a docker stream, and as the gzip OCI archive.
 *
 *   node bench/binaries/light-binaries.mjs [-n RUNS] [ARCHIVE|stream:ARCHIVE …]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../lib/bundle-driver.mjs';

const args = process.argv.slice(2);
let runs = 3;
if (args[0] === '-n') {
  runs = Number(args[1]);
  args.splice(0, 2);
}
const cache = process.env.SCANROOK_BENCH_CACHE ?? join(homedir(), '.cache', 'scanrook-bench');
const targets = args.length
  ? args
  : [join(cache, 'large.docker.tar'), `stream:${join(cache, 'large.docker.tar')}`, join(cache, 'large.oci.tar')];
// one file (the scan's dynamic imports inlined), beside the other bench bundles, so sql.js resolves from node_modules
const outDir = join(REPO, 'node_modules', '.cache', 'scanrook-bench');
mkdirSync(outDir, { recursive: true });
const driver = join(outDir, 'light-binaries-driver.mjs');
execFileSync(
  join(REPO, 'node_modules', '.bin', 'rolldown'),
  [
    join(REPO, 'bench', 'binaries', 'light-binaries-driver.ts'),
    '--platform',
    'node',
    '--format',
    'esm',
    '--external',
    'sql.js',
    '--external',
    '@virustotal/yara-x',
    '--no-codeSplitting',
    '-o',
    driver,
  ],
  { stdio: ['ignore', 'ignore', 'inherit'], cwd: REPO },
);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
console.log(
  '| input | with: wall s | without: wall s | ratio | with: read+inventory s | without | ratio | with: CPU s | without: CPU s | with: RSS MB | without: RSS MB | ELF opened | Go/Rust pkgs |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const t of targets) {
  const res = { with: [], without: [] };
  for (let i = 0; i < runs; i++) {
    for (const how of ['with', 'without']) {
      const out = execFileSync(process.execPath, [driver, t, how], { cwd: REPO, encoding: 'utf8' });
      res[how].push(JSON.parse(out.trim().split('\n').pop()));
    }
  }
  const m = (how, k) => median(res[how].map((r) => r[k]));
  const name = t.replace(cache + '/', '').replace(`stream:${cache}/`, 'stream:');
  console.log(
    `| ${name} | ${(m('with', 'wall_ms') / 1000).toFixed(2)} | ${(m('without', 'wall_ms') / 1000).toFixed(2)} | ${(m('with', 'wall_ms') / m('without', 'wall_ms')).toFixed(3)} | ${(m('with', 'read_inventory_ms') / 1000).toFixed(2)} | ${(m('without', 'read_inventory_ms') / 1000).toFixed(2)} | ${(m('with', 'read_inventory_ms') / m('without', 'read_inventory_ms')).toFixed(3)} | ${(m('with', 'cpu_ms') / 1000).toFixed(2)} | ${(m('without', 'cpu_ms') / 1000).toFixed(2)} | ${m('with', 'rss_mb')} | ${m('without', 'rss_mb')} | ${m('with', 'elf_opened')} | ${m('with', 'binary_packages')} |`,
  );
  console.error(
    `${name}: with ${res.with.map((r) => r.wall_ms).join(' ')} ms; without ${res.without.map((r) => r.wall_ms).join(' ')} ms`,
  );
}
