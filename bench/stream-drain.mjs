#!/usr/bin/env node
/**
 * What it costs node to drain a child's stdout (the `docker:REF` path's pipe), with no parsing: `cat ARCHIVE`
 * is spawned and its output counted, in one of these ways (one JSON line per run: wall ms, CPU ms of this
 * process, reads, average read size):
 *
 *   data         child stdio 'pipe' (a libuv socketpair), 'data' events: what src/image/docker.ts does
 *   onread-slab  the child writes into a unix socket read with net's `onread`, each read into fresh memory
 *                (1 MiB slabs, zero-copy chunks: a reader could keep them)
 *   onread-reuse the same socket, every read into ONE reused 1 MiB buffer (a lower bound: the data is gone
 *                after each callback, so a reader would have to copy what it keeps)
 *   fresh        no child: only touching 1.45 GB of freshly allocated 2 MiB buffers (the page-fault cost of
 *                memory that is never reused)
 *
 *   node bench/stream-drain.mjs ARCHIVE [data|onread-slab|onread-reuse|fresh] [RUNS]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [archive, mode = 'data', runsArg = '1'] = process.argv.slice(2);
if (!archive) throw new Error('usage: stream-drain.mjs ARCHIVE [data|onread-slab|onread-reuse|fresh] [RUNS]');
const SLAB = 1 << 20;

/** A connected unix-socket pair: [our reading end with `onread`, the end to give the child]. */
async function socketPair(onread) {
  const dir = mkdtempSync(join(tmpdir(), 'stream-drain-'));
  const path = join(dir, 's');
  const server = net.createServer();
  await new Promise((r) => server.listen(path, r));
  const accepted = new Promise((r) => server.once('connection', r));
  const client = net.connect({ path, onread });
  const peer = await accepted;
  server.close();
  rmSync(dir, { recursive: true, force: true });
  return [client, peer];
}

async function once() {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let bytes = 0;
  let reads = 0;
  if (mode === 'fresh') {
    const size = statSync(archive).size;
    for (let done = 0; done < size; done += 2 << 20) {
      const b = Buffer.allocUnsafeSlow(2 << 20);
      b.fill(done & 255);
      bytes += b.length;
      reads++;
    }
  } else if (mode === 'data') {
    const child = spawn('cat', [archive], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (b) => {
      bytes += b.length;
      reads++;
    });
    await new Promise((r) => child.once('close', r));
  } else if (mode === 'onread-slab' || mode === 'onread-reuse') {
    let slab = Buffer.allocUnsafeSlow(SLAB);
    let off = 0;
    const onread =
      mode === 'onread-reuse'
        ? {
            buffer: slab,
            callback: (n) => {
              bytes += n;
              reads++;
              return true;
            },
          }
        : {
            buffer: () => {
              if (SLAB - off < 64 * 1024) {
                slab = Buffer.allocUnsafeSlow(SLAB);
                off = 0;
              }
              return slab.subarray(off);
            },
            callback: (n) => {
              off += n;
              bytes += n;
              reads++;
              return true;
            },
          };
    const [ours, theirs] = await socketPair(onread);
    const child = spawn('cat', [archive], { stdio: ['ignore', theirs, 'inherit'] });
    theirs.destroy(); // the child has its own copy
    await new Promise((r) => ours.once('end', r));
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    ours.destroy();
  } else throw new Error(`unknown mode ${mode}`);
  const c = process.cpuUsage(c0);
  return {
    mode,
    wall_ms: Math.round(performance.now() - t0),
    cpu_ms: Math.round((c.user + c.system) / 1000),
    bytes,
    reads,
    avg_read: Math.round(bytes / reads),
  };
}

for (let i = 0; i < Number(runsArg); i++) process.stdout.write(JSON.stringify(await once()) + '\n');
