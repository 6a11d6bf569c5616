/**
 * Light mode with and without the binaries' reading (issue 12 item 3), in-process, as a scan runs it: the
 * image stage and the inventory stage of runScan (the DB is a closed local port, so the DB stage fails fast
 * and the same way in both). Bundled and run by bench/binaries/light-binaries.mjs, one scan per process.
 *
 *   light-binaries-driver ARCHIVE|stream:ARCHIVE with|without
 * Prints one JSON line: wall ms, image+inventory ms (event log), CPU ms, peak RSS MB, packages, Go/Rust
 * packages, ELF files opened.
 */
import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { readImageFromStream } from '../../src/image/read-stream.js';
import { BinaryVisitor } from '../../src/inventory/lang/binary/visitor.js';
import { defaultScanDeps } from '../../src/scan/deps.js';
import { runScan } from '../../src/scan/run.js';
import type { Logger } from '../../src/util/logger.js';

setFlagsFromString('--semi-space-growth-factor=1'); // as `scanrook scan` does before reading

const [target, how] = process.argv.slice(2);
if (!target || (how !== 'with' && how !== 'without')) throw new Error('usage: ARCHIVE|stream:ARCHIVE with|without');
const logger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (m) => process.stderr.write(`${m}\n`),
};
const base = defaultScanDeps(logger, {
  settings: { dbPath: null, dbUrl: 'http://127.0.0.1:9', dbCache: false, dbMaxAge: 0 },
  cache: null,
  http: { attempts: 1 },
});
let opened = 0;
const analyzers = base.analyzers
  .filter((a) => how === 'with' || a.visit?.key !== 'lang/binary')
  .map((a) =>
    a.visit?.key === 'lang/binary'
      ? {
          ...a,
          analyze: (ctx: Parameters<typeof a.analyze>[0]) => {
            if (ctx.visitor instanceof BinaryVisitor) opened = ctx.visitor.opened;
            return a.analyze(ctx);
          },
        }
      : a,
  );
const stream = target.startsWith('stream:');
const path = stream ? target.slice(7) : target;
const deps = {
  ...base,
  analyzers,
  ...(stream
    ? {
        readDocker: (_ref: string, opts: Parameters<typeof readImageFromStream>[1]) =>
          readImageFromStream(createReadStream(path), opts, logger, { input: path, kind: 'docker' as const }),
      }
    : {}),
};
const t0 = performance.now();
const c0 = process.cpuUsage();
const r = await runScan(
  stream ? { kind: 'docker', ref: 'bench' } : { kind: 'path', path },
  { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 0 },
  deps,
);
const c = process.cpuUsage(c0);
process.stdout.write(
  `${JSON.stringify({
    wall_ms: Math.round(performance.now() - t0),
    // the image and inventory stages alone (from the event log): what the binaries' reading adds to
    read_inventory_ms:
      Date.parse(r.events.find((e) => e.stage === 'inventory' && e.status !== 'started')!.timestamp) -
      Date.parse(r.events.find((e) => e.stage === 'image' && e.status === 'started')!.timestamp),
    cpu_ms: Math.round((c.user + c.system) / 1000),
    rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    packages: r.packages.length,
    binary_packages: r.packages.filter((p) => p.found_by === 'lang/gobinary' || p.found_by === 'lang/rustaudit').length,
    elf_opened: opened,
    status: r.scan_status,
  })}\n`,
);
