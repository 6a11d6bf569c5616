/**
 * The hostile shapes of issue 16 as generators and a property for the long fuzz run (bench/fuzz): a layer listed
 * many times (item 6), long names, many wanted bodies against the kept-body budget (item 5), a package DB behind
 * symlinks (item 8), deep folders (item 7), nested index fan-out (item 4), a layer compressed twice. Each read
 * must end with a view or an ImageError, within the caps, quickly.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { MAX_LAYERS } from '../../../src/image/limits.js';
import { readImageFromPath } from '../../../src/image/read.js';
import { ImageError, type ImageView } from '../../../src/image/types.js';
import { silentLogger } from '../../../src/util/logger.js';
import { blob, dockerSaveListed, manyFilesLayer, ociArchive, tarMember, tarOf } from './hostile-archives.js';

/** A symlink member (typeflag 2, target in the linkname field). */
function link(name: string, target: string): Buffer {
  const h = tarMember(name, '', '2');
  h.write(target, 157, 100, 'utf8');
  h.fill(' ', 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += h[i]!;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

export type Shape =
  | { kind: 'listed'; listings: number; entries: number }
  | { kind: 'long-names'; count: number; nameLength: number; listings: number }
  | { kind: 'bodies'; files: number; kib: number }
  | { kind: 'symlinked-db'; depth: number; gzip: boolean }
  | { kind: 'deep'; levels: number }
  | { kind: 'fanout'; n: number }
  | { kind: 'twice'; inner: 'gzip' | 'zstd' };

export const shapeArb: fc.Arbitrary<Shape> = fc.oneof(
  fc.record({
    kind: fc.constant('listed' as const),
    listings: fc.integer({ min: 1, max: 400 }),
    entries: fc.integer({ min: 0, max: 3000 }),
  }),
  fc.record({
    kind: fc.constant('long-names' as const),
    count: fc.integer({ min: 1, max: 3000 }),
    nameLength: fc.integer({ min: 100, max: 4000 }),
    listings: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({
    kind: fc.constant('bodies' as const),
    files: fc.integer({ min: 1, max: 200 }),
    kib: fc.integer({ min: 1, max: 256 }),
  }),
  fc.record({ kind: fc.constant('symlinked-db' as const), depth: fc.integer({ min: 1, max: 6 }), gzip: fc.boolean() }),
  fc.record({ kind: fc.constant('deep' as const), levels: fc.integer({ min: 1, max: 5000 }) }),
  fc.record({ kind: fc.constant('fanout' as const), n: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant('twice' as const), inner: fc.constantFrom('gzip' as const, 'zstd' as const) }),
);

/** The archive of a shape. */
export function shapeArchive(s: Shape): Buffer {
  switch (s.kind) {
    case 'listed':
      return dockerSaveListed(
        [manyFilesLayer(s.entries)],
        Array.from({ length: s.listings }, () => 0),
      );
    case 'long-names': {
      const stem = 'n'.repeat(s.nameLength - 12);
      const members = Array.from({ length: s.count }, (_, i) => tarMember(`${stem}/${String(i).padStart(10, '0')}`));
      return dockerSaveListed(
        [gzipSync(tarOf(members), { level: 1 })],
        Array.from({ length: s.listings }, () => 0),
      );
    }
    case 'bodies': {
      const body = Buffer.alloc(s.kib * 1024, 7);
      const members = Array.from({ length: s.files }, (_, i) => tarMember(`app/p${i}/METADATA`, body));
      return dockerSaveListed([gzipSync(tarOf(members), { level: 1 })], [0]);
    }
    case 'symlinked-db': {
      // var/lib/dpkg -> l1, l1 -> l2, ... -> real/ holding status
      const members = [tarMember('real/status', 'Package: x\nStatus: install ok installed\nVersion: 1\n\n')];
      for (let i = 1; i <= s.depth; i++) members.push(link(`l${i}`, i === s.depth ? '/real' : `/l${i + 1}`));
      members.push(tarMember('var/lib/', '', '5'), link('var/lib/dpkg', '/l1'));
      const t = tarOf(members);
      return dockerSaveListed([s.gzip ? gzipSync(t) : t], [0]);
    }
    case 'deep': {
      const members: Buffer[] = [];
      let p = '';
      for (let i = 0; i < s.levels; i++) {
        p = p ? `${p}/d` : 'd';
        members.push(tarMember(`${p}/`, '', '5'));
      }
      return dockerSaveListed([gzipSync(tarOf(members), { level: 1 })], [0]);
    }
    case 'fanout': {
      // N descriptors, each naming an index of N descriptors naming one manifest: N² paths, one manifest
      const layer = blob(tarOf([tarMember('etc/x', 'x')]));
      const config = blob(
        JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.digest] } }),
      );
      const manifest = blob(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: { digest: config.digest, size: config.body.length },
          layers: [
            { digest: layer.digest, size: layer.body.length, mediaType: 'application/vnd.oci.image.layer.v1.tar' },
          ],
        }),
      );
      const desc = (b: { digest: string; body: Buffer }, mt: string) => ({
        digest: b.digest,
        size: b.body.length,
        mediaType: mt,
      });
      const inner = blob(
        JSON.stringify({
          schemaVersion: 2,
          manifests: Array.from({ length: s.n }, () => desc(manifest, 'application/vnd.oci.image.manifest.v1+json')),
        }),
      );
      const index = {
        schemaVersion: 2,
        manifests: Array.from({ length: s.n }, () => desc(inner, 'application/vnd.oci.image.index.v1+json')),
      };
      return ociArchive(index, [layer, config, manifest, inner]);
    }
    case 'twice': {
      const t = tarOf([tarMember('etc/x', 'x')]);
      const inner = s.inner === 'gzip' ? gzipSync(t) : Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]);
      return dockerSaveListed([gzipSync(inner)], [0]);
    }
  }
}

const ALLOWED = new Set(['archive_corrupt', 'collection_time_limit_exceeded']);

/** What each shape must give: a view within the caps (or an ImageError), the shape's own reason when due. */
export function checkShape(s: Shape, view: ImageView): void {
  for (const p of view.problems)
    if (!ALLOWED.has(p.code)) throw new Error(`unexpected problem ${p.code}: ${p.message}`);
  if (view.layers.length > MAX_LAYERS) throw new Error(`${view.layers.length} layers read, over ${MAX_LAYERS}`);
  const msgs = view.problems.map((p) => p.message).join('\n');
  if (s.kind === 'listed' && s.listings > MAX_LAYERS && !msgs.includes('over the 127 overlayfs can stack'))
    throw new Error('no layer-count reason');
  if (s.kind === 'symlinked-db' && view.files.read('var/lib/dpkg/status') == null)
    throw new Error(`the DB behind ${s.depth} links was not read (${msgs})`);
  if (s.kind === 'twice' && !msgs.includes('compressed twice'))
    throw new Error(`no double-compression reason: ${msgs}`);
  if (s.kind === 'bodies') {
    const kept = view.files.wanted().filter((p) => view.files.read(p)).length;
    if (kept * s.kib * 1024 > SHAPE_BUDGET) throw new Error(`kept ${kept} bodies of ${s.kib} KiB, over the budget`);
    if (kept < s.files && !msgs.includes("reader's budget")) throw new Error('bodies left out without a reason');
  }
}

/** The kept-body budget the property reads with (small, so the shapes reach it). */
export const SHAPE_BUDGET = 4 << 20;
const REQUESTS = [
  { match: (p: string) => p === 'var/lib/dpkg/status', maxSize: 1 << 20 },
  { match: (p: string) => p.endsWith('/METADATA'), maxSize: 1 << 20 },
];

export interface ShapeTally {
  runs: number;
  slowestMs: number;
  byKind: Record<string, number>;
}

export function hostileShapeProperty(workDir: string, tally: ShapeTally) {
  return fc.asyncProperty(shapeArb, async (s) => {
    const buf = shapeArchive(s);
    const file = join(workDir, `shape-${createHash('sha1').update(buf).digest('hex').slice(0, 12)}.tar`);
    writeFileSync(file, buf);
    const t0 = performance.now();
    let view: ImageView;
    try {
      view = await readImageFromPath(file, { requests: REQUESTS, budgets: { keptBytes: SHAPE_BUDGET } }, silentLogger);
    } catch (e) {
      if (e instanceof ImageError && s.kind === 'fanout') return; // a fan-out over the cap is refused, as it should
      throw e;
    }
    const ms = performance.now() - t0;
    tally.runs++;
    tally.slowestMs = Math.max(tally.slowestMs, ms);
    tally.byKind[s.kind] = (tally.byKind[s.kind] ?? 0) + 1;
    checkShape(s, view);
    if (ms > 10_000) throw new Error(`${s.kind} took ${ms.toFixed(0)} ms`);
  });
}
