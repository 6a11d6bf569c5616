#!/usr/bin/env node
/**
 * The image reader alone (no CLI start-up, inventory, DB or report): bundles bench/read-driver.ts with rolldown
 * (installed with vitest) into node_modules/.cache/scanrook-bench/ and runs it with this node.
 *
 *   node bench/read.mjs ARCHIVE [RUNS]     one JSON line per run: wall_ms, cpu_ms, bytes (read from the file),
 *                                          files (wanted files kept), rss_mb
 *   node bench/read.mjs docker:REF [RUNS]  through `docker save REF` (put a stand-in docker first on PATH)
 * Extra node flags (e.g. --cpu-prof) go in BENCH_NODE_FLAGS.
 */
import { execFileSync } from 'node:child_process';
import { bundleDriver, REPO as repo } from './lib/bundle-driver.mjs';

const out = bundleDriver('read-driver');
const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
execFileSync(process.execPath, [...flags, out, ...process.argv.slice(2)], { stdio: 'inherit', cwd: repo });
