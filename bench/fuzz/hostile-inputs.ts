/**
 * Issue 16's hostile inputs at the reader's default budgets, each read once in this process with its peak RSS
 * (sampled every 20 ms, above the RSS before) and wall time: a layer listed 1000 times, a ~1 MB archive of long
 * names listed 6 times, 48 wanted bodies of 16 MiB (768 MiB against the 512 MiB budget), a 1.5 GiB file of zeros,
 * 20,000 nested folders, a dpkg DB behind symlinks. Rows for the fuzz run's table.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readImageFromPath } from '../../src/image/read.js';
import type { FileRequest } from '../../src/image/types.js';
import { silentLogger } from '../../src/util/logger.js';
import { gzipZerosBetween } from '../../test/fuzz/lib/bombs.js';
import { dockerSaveListed, manyFilesLayer, tarMember, tarOf } from '../../test/fuzz/lib/hostile-archives.js';
import { shapeArchive } from '../../test/fuzz/lib/hostile-shapes.js';
import { longNamesLayer } from '../../test/fuzz/lib/long-names.js';

const MIB = 1 << 20;

async function deepGzip(levels: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let p = '';
  for (let i = 0; i < levels; i++) {
    p = p ? `${p}/d` : 'd';
    parts.push(tarMember(`${p}/`, '', '5'));
  }
  return gzipSync(tarOf(parts), { level: 1 });
}

export async function hostileInputs(work: string): Promise<{ line: string; peakMb: number }[]> {
  const wanted: FileRequest[] = [
    { match: (p) => p.endsWith('/METADATA'), maxSize: 16 * MIB },
    { match: (p) => p === 'var/lib/dpkg/status', maxSize: 64 * MIB },
  ];
  const bodies = Array.from({ length: 48 }, (_, i) => tarMember(`app/p${i}/METADATA`, Buffer.alloc(16 * MIB, i)));
  const inputs: [string, () => Promise<Buffer>][] = [
    [
      '1000 listings of a 20,000-entry layer',
      async () => dockerSaveListed([manyFilesLayer(20_000)], Array(1000).fill(0)),
    ],
    [
      'long names (4,000 B) listed 6x',
      async () => dockerSaveListed([await longNamesLayer(250_000, 4000)], Array(6).fill(0)),
    ],
    [
      '48 wanted bodies of 16 MiB (768 MiB)',
      async () => dockerSaveListed([gzipSync(tarOf(bodies), { level: 1 })], [0]),
    ],
    [
      '1.5 GiB file of zeros amid files',
      async () => dockerSaveListed([gzipZerosBetween(1536 * MIB, [tarMember('a', 'a')], [tarMember('b', 'b')])], [0]),
    ],
    ['20,000 nested folders', async () => dockerSaveListed([await deepGzip(20_000)], [0])],
    ['dpkg DB behind 6 symlinks', async () => shapeArchive({ kind: 'symlinked-db', depth: 6, gzip: true })],
  ];
  const out: { line: string; peakMb: number }[] = [];
  for (const [name, make] of inputs) {
    const buf = await make();
    const file = join(work, 'hostile-input.tar');
    writeFileSync(file, buf);
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const t0 = performance.now();
    const view = await readImageFromPath(file, { requests: wanted }, silentLogger).finally(() =>
      clearInterval(sampler),
    );
    const secs = (performance.now() - t0) / 1000;
    peak = Math.max(peak, process.memoryUsage().rss);
    const peakMb = (peak - rss0) / MIB;
    const said = view.problems.map((p) => p.message.replace(/\|/g, '/').slice(0, 110)).join('; ') || 'no problems';
    out.push({
      line: `| ${name} | ${secs.toFixed(1)} s | 1 | ok | ${(buf.length / MIB).toFixed(1)} MiB archive, peak RSS +${peakMb.toFixed(0)} MiB (from ${(rss0 / MIB).toFixed(0)}); ${said} |`,
      peakMb,
    });
  }
  return out;
}
