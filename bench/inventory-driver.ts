/**
 * Inventory micro-benchmark (run through bench/inventory.mjs, which bundles this file): the product's own
 * parsers on real package databases.
 *   - dpkg: parseDpkgStatus on the 767-package Debian 12 status file, and on a 5,000-record status built by
 *     repeating those real records with the Package field renamed (`<name>-r<N>`) so every record is unique;
 *   - rpm: readRpmSqlite (sql.js, loaded once through loadSqlJs) + parseRpmHeader on every blob, for the
 *     CBL-Mariner 2.0 rpmdb.sqlite.
 * Prints a markdown table: first call (cold: the CLI parses once per scan), then the median of N warm calls.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDpkgStatus } from '../src/inventory/os/dpkg/status.js';
import { parseRpmHeader, readRpmSqlite } from '../src/inventory/os/rpm/index.js';
import { loadSqlJs } from '../src/vulndb/sqlite.js';

const shared = process.env.SCANROOK_SHARED ?? join(process.cwd(), '..', 'shared');
const runs = Number(process.env.BENCH_RUNS ?? 50);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function timeIt<T>(fn: () => T): { first: number; median: number; result: T } {
  let t = performance.now();
  const result = fn();
  const first = performance.now() - t;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return { first, median: median(times), result };
}

/** A status file of `target` records: the real records repeated, each copy's Package renamed. */
function synthetic(real: string, target: number): string {
  const records = real.split(/\n\s*\n/).filter((r) => /^Package:/m.test(r));
  const out: string[] = [];
  for (let i = 0; out.length < target; i++) {
    const r = records[i % records.length]!;
    const copy = Math.floor(i / records.length);
    out.push(copy === 0 ? r : r.replace(/^Package: (.+)$/m, `Package: $1-r${copy}`));
  }
  return `${out.join('\n\n')}\n`;
}

const rows: string[] = [];
const row = (what: string, n: number, bytes: number, t: { first: number; median: number }) =>
  rows.push(
    `| ${what} | ${n} | ${(bytes / 1024).toFixed(0)} KiB | ${t.first.toFixed(2)} | ${t.median.toFixed(3)} | ${Math.round(n / (t.median / 1000)).toLocaleString('en-US')} |`,
  );

const statusPath = join(shared, 'data/pkgdb/dpkg/debian12-bookworm-767/var/lib/dpkg/status');
const status = readFileSync(statusPath);
const d767 = timeIt(() => parseDpkgStatus(status));
if (d767.result.entries.length !== 767) throw new Error(`expected 767 packages, parsed ${d767.result.entries.length}`);
row('dpkg status, Debian 12 (real)', d767.result.entries.length, status.length, d767);

const big = Buffer.from(synthetic(status.toString('utf8'), 5000));
const d5k = timeIt(() => parseDpkgStatus(big));
if (d5k.result.entries.length !== 5000) throw new Error(`expected 5000 packages, parsed ${d5k.result.entries.length}`);
row('dpkg status, 5,000 records (real records repeated)', d5k.result.entries.length, big.length, d5k);

const t = performance.now();
const SQL = await loadSqlJs();
const sqlLoad = performance.now() - t;
const dbPath = join(shared, 'data/pkgdb/rpm/go-rpmdb-cbl-mariner-2.0/rpmdb.sqlite');
const db = readFileSync(dbPath);
const rpm = timeIt(() => {
  const read = readRpmSqlite(db, SQL);
  let ok = 0;
  for (const r of read.records) if (parseRpmHeader(r.blob).info.name) ok++;
  return { records: read.records.length, ok, problems: read.problems };
});
if (rpm.result.problems.length) throw new Error(`rpmdb problems: ${rpm.result.problems.join('; ')}`);
row('rpmdb.sqlite, CBL-Mariner 2.0 (sql.js + header parse)', rpm.result.ok, db.length, rpm);

console.log(`| database | packages | size | first call ms | median ms (${runs} warm calls) | packages/s (warm) |`);
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(r);
console.log();
console.log(`sql.js engine load (loadSqlJs, once per process): ${sqlLoad.toFixed(1)} ms. node ${process.version}.`);
