/**
 * The V8 settings a scan runs with, set at run time by the CLI (src/cli.ts) and the action (src/action/main.ts)
 * before any scan work: both processes are short-lived, read large images and open the SQLite DB once.
 */
import { setFlagsFromString } from 'node:v8';

/**
 * V8 compiles sql.js's WebAssembly a second time in the background (TurboFan tier-up), and the process waits
 * for that work before it exits. Node 20 recompiles all of it (0.15–0.45 s after the report is written);
 * Node 24 only the hot functions, but still 35–50 ms of waiting at exit on every scan that opens a DB, plus
 * ~20 MB of peak RSS and CPU taken from the main thread on a 2-core runner (the 1.45 GB benchmark image
 * against the offline Debian DB, Node 24, medians of 7, Liftoff only vs tier-up: wall 0.97 → 0.82 s, the
 * DB stage 148 → 96 ms, matching 30 → 9 ms). Liftoff's code alone is as fast for what the CLI asks of SQLite (`db build` of
 * Debian's 8,640 OSV records: 2.3 s against 2.6–3.0 s on Node 20), so scans and `db` commands keep to
 * Liftoff on every Node. Not in deep mode, where YARA-X's WebAssembly scans file bodies and benefits from
 * the optimising tier.
 */
export function wasmBaselineOnly(): void {
  // Node 20 and 22 honour --liftoff-only set at run time; Node 24's V8 reads it only at start-up, but reads the
  // tier-up budget when it compiles: a budget no scan's calls use up keeps every function on Liftoff there.
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--wasm-tiering-budget=2000000000');
}

/**
 * A scan streams far more bytes through short-lived Buffers (pipe chunks, inflated layer data, tar windows)
 * than it keeps. V8 grows its young generation to tens of MB under that churn, and that garbage is what
 * raises peak RSS (the kept index of a 45,000-entry image is ~30 MB). Keeping the young generation at its
 * initial size (growth factor 1; a flag V8 reads at each resize, so setting it now takes effect) cut the
 * peak RSS of the 1.45 GB benchmark image by 20–80 MB (streamed: 211 → 131 MB on Node 24), at the same CPU
 * time (measured with 45,000 files and with 50,000 packages; BENCHMARKS.md).
 */
export function youngGenerationAtInitialSize(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
