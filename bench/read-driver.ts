/**
 * The image reader alone, as the scan calls it (light mode's requests), without the CLI, the inventory or the
 * DB: bundled and run by bench/read.mjs. Prints one JSON line per run: wall ms, CPU ms, bytes read, files.
 *
 *   node bench/read.mjs ARCHIVE [RUNS]          (a path)
 *   node bench/read.mjs docker:ARCHIVE [RUNS]   (the same archive through readImageFromDocker's pipe, with
 *                                                the bench's stand-in docker on PATH)
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { readImageFromDocker } from '../src/image/docker.js';
import { readImageFromPathDetailed } from '../src/image/read.js';
import type { ReadOptions } from '../src/image/types.js';
import { OS_RELEASE_REQUESTS } from '../src/inventory/os/release/detect.js';
import { ANALYZERS } from '../src/inventory/registry.js';
import type { Logger } from '../src/util/logger.js';

// as `scanrook scan` does before reading (src/cli.ts youngGenerationAtInitialSize): the same GC setting, so the
// reader's peak RSS here is the one the CLI gets
setFlagsFromString('--semi-space-growth-factor=1');

const target = process.argv[2];
const runs = Number(process.argv[3] ?? '1');
if (!target) throw new Error('usage: read-driver ARCHIVE|docker:REF [RUNS]');
const logger: Logger = {
  debug: () => {},
  info: () => {},
  warn: (m) => process.stderr.write(`warning: ${m}\n`),
  error: (m) => process.stderr.write(`error: ${m}\n`),
};
const requests = [
  ...OS_RELEASE_REQUESTS,
  ...ANALYZERS.filter((a) => a.modes.includes('light')).flatMap((a) => a.requests),
];

for (let i = 0; i < runs; i++) {
  let bytes = 0;
  const opts: ReadOptions = {
    requests,
    platform: 'linux/amd64',
    maxImageSize: 0,
    onProgress: (b) => {
      bytes = b;
    },
  };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let files: number;
  if (target.startsWith('docker:')) {
    const view = await readImageFromDocker(target.slice(7), opts, logger);
    files = view.files.fileCount;
  } else {
    const r = await readImageFromPathDetailed(target, opts, logger);
    files = r.view.files.fileCount;
  }
  const c = process.cpuUsage(c0);
  const rss = process.memoryUsage().rss;
  process.stdout.write(
    JSON.stringify({
      wall_ms: Math.round(performance.now() - t0),
      cpu_ms: Math.round((c.user + c.system) / 1000),
      bytes,
      files,
      rss_mb: Math.round(rss / 2 ** 20),
    }) + '\n',
  );
}
