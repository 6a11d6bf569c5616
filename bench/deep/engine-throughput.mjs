#!/usr/bin/env node
// The YARA engine alone (no reader, no prefilter): YARA-X's WebAssembly build as ScanRook loads it, over a list
// of files, one Scanner reused, one thread; then the same over one big buffer (the per-byte rate without the
// per-call cost); then the built-in rules' literal prefilter alone (src/yara/prefilter.ts's method, re-done
// here in plain JS over the declared literals). Run by bench/deep/engine-vs-yara.sh, which also times
// Debian's `yara` on the same files and rules.
//   node bench/deep/engine-throughput.mjs LIST RULES.yar [BIG_MIB]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [list, rulesFile, bigMib = '64'] = process.argv.slice(2);
const files = readFileSync(list, 'utf8').split('\n').filter(Boolean);
const require = createRequire(import.meta.url);
const pkg = join(dirname(require.resolve('@virustotal/yara-x/package.json')), 'pkg');
const yx = await import(pathToFileURL(join(pkg, 'yara_x_js.js')).href);
yx.initSync({ module: new WebAssembly.Module(readFileSync(join(pkg, 'yara_x_js_bg.wasm'))) });
const t0 = performance.now();
const compiler = new yx.Compiler();
compiler.newNamespace('scanrook');
compiler.addSource(readFileSync(rulesFile, 'utf8'));
const rules = compiler.build();
const scanner = new yx.Scanner(rules);
scanner.setMaxMatchesPerPattern(10);
const compileMs = performance.now() - t0;

const bodies = files.map((f) => readFileSync(f));
const total = bodies.reduce((n, b) => n + b.length, 0);
const mib = (n) => n / 1048576;
let matched = 0;
const t1 = performance.now();
for (const b of bodies) if ((scanner.scan(b).matches ?? []).length) matched++;
const perFile = performance.now() - t1;

const big = Buffer.alloc(Number(bigMib) * 1048576);
for (let off = 0, i = 0; off < big.length && bodies.length; i = (i + 1) % bodies.length) {
  off += bodies[i].copy(big, off);
}
const t2 = performance.now();
scanner.scan(big);
const bigMs = performance.now() - t2;
const t3 = performance.now();
scanner.scan(new Uint8Array(0));
const emptyMs = performance.now() - t3;

// the prefilter's work: every case-sensitive literal by Buffer.indexOf, case-folded ones by one regex
const ts =
  readFileSync(new URL('../../src/yara/rules/cloud-credentials.ts', import.meta.url), 'utf8') +
  readFileSync(new URL('../../src/yara/rules/private-keys.ts', import.meta.url), 'utf8') +
  readFileSync(new URL('../../src/yara/rules/malware.ts', import.meta.url), 'utf8');
const cs = new Set();
const ci = new Set();
for (const g of ts.matchAll(/\{ any: \[([^\]]*)\](, nocase: true)? \}/g))
  for (const l of g[1].matchAll(/'([^']*)'/g)) (g[2] ? ci : cs).add(l[1]);
const ciRe = new RegExp([...ci].map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'i');
const t4 = performance.now();
let passed = 0;
for (const b of bodies) {
  let hit = false;
  for (const l of cs) if (b.indexOf(l, 0, 'latin1') >= 0) hit = true;
  if (ciRe.test(b.toString('latin1'))) hit = true;
  if (hit) passed++;
}
const preMs = performance.now() - t4;

console.log(
  JSON.stringify({
    files: bodies.length,
    mib: +mib(total).toFixed(1),
    compile_ms: Math.round(compileMs),
    engine_per_file: {
      ms: Math.round(perFile),
      mib_s: +(mib(total) / (perFile / 1000)).toFixed(1),
      ms_per_file: +(perFile / bodies.length).toFixed(2),
      files_matched: matched,
    },
    engine_one_buffer: {
      mib: Number(bigMib),
      ms: Math.round(bigMs),
      mib_s: +(Number(bigMib) / (bigMs / 1000)).toFixed(1),
    },
    engine_empty_scan_ms: +emptyMs.toFixed(2),
    prefilter_all_literals: {
      ms: Math.round(preMs),
      mib_s: +(mib(total) / (preMs / 1000)).toFixed(1),
      files_with_a_literal: passed,
    },
  }),
);
