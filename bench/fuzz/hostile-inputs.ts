/**
 * Issue 16's hostile inputs at the reader's default budgets, each read once in a process of its own
 * (bench/read.mjs under /usr/bin/time: peak RSS of the whole process, wall time with the bundle's start-up): a layer listed 1000 times, a ~1 MB archive of long
 * names listed 6 times, 192 wanted bodies of 4 MiB (768 MiB against the 512 MiB budget), a 1.5 GiB file of zeros,
 * 20,000 nested folders, a dpkg DB behind symlinks. Rows for the fuzz run's table.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
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
  // pip's METADATA request (light mode) keeps up to 4 MiB each: 192 of them are 768 MiB
  const bodies = Array.from({ length: 192 }, (_, i) =>
    tarMember(`usr/lib/python3/dist-packages/p${i}-1.0.dist-info/METADATA`, Buffer.alloc(4 * MIB, i)),
  );
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
      '192 wanted METADATA bodies of 4 MiB (768 MiB)',
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
    // a process of its own (bench/read.mjs: the reader with light mode's requests), so the peak is this input's
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, 'bench/read.mjs', file], {
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    });
    const secs = (performance.now() - t0) / 1000;
    const res = JSON.parse(r.stdout.trim().split('\n').at(-1) || '{}') as { wall_ms?: number; files?: number };
    const peakMb = Number(r.stderr.trim().split('\n').at(-1)) / 1024;
    out.push({
      line: `| ${name} | ${secs.toFixed(1)} s | 1 | ${r.status === 0 ? 'ok' : `exit ${r.status}`} | ${(buf.length / MIB).toFixed(1)} MiB archive; its own process (bench/read.mjs, light mode's requests): peak RSS ${peakMb.toFixed(0)} MiB, read ${res.wall_ms} ms, ${res.files} files in the view |`,
      peakMb,
    });
  }
  return out;
}
