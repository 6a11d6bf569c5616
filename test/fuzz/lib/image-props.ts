/**
 * The image reader's fuzz property, shared by test/fuzz (bounded runs) and bench/fuzz (long runs): a damaged
 * real archive read through readImageFromPath or readImageFromStream either gives an ImageView or throws an
 * ImageError, in bounded time and memory, and whatever view it gives never holds a path outside the image
 * root (no `..`, no leading `/`, no NUL), whatever names and link targets the archive carried.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { readImageFromPath } from '../../../src/image/read.js';
import { readImageFromStream } from '../../../src/image/read-stream.js';
import { ImageError, type ImageView, type ReadOptions } from '../../../src/image/types.js';
import { silentLogger } from '../../../src/util/logger.js';
import { sharedPath } from '../../helpers/shared.js';
import { HOSTILE_LINKS, HOSTILE_NAMES, type Mutation, mutate } from './tar-edit.js';

/** Small real archives of every layout (legacy docker save, Docker 25+, OCI archive, gzip outer, zstd layer). */
export const FUZZ_IMAGES: readonly string[] = [
  'hello-world.docker.tar',
  'symlinks.tar',
  'whiteout.docker.tar',
  'rpm-rocky9.docker.tar',
  'rpm-fedora38.docker-oci.tar',
  'bad/small.docker.tar',
  'bad/small.docker-oci.tar',
  'bad/small.oci.tar',
  'bad/small.docker.tar.gz',
  'bad/oci-zstd-layer.tar',
];

const CASE_TIMEOUT_MS = 10_000;
const MAX_BODY = 64 * 1024;
/** Every file is wanted (bodies up to 64 KiB), so the merged view, symlink resolution and body reads all run. */
export const FUZZ_REQUESTS: ReadOptions['requests'] = [{ match: () => true, maxSize: MAX_BODY }];

const member = fc.nat({ max: 10_000 });
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('headerFlip' as const),
    member,
    field: fc.nat({ max: 511 }),
    xor: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({ kind: fc.constant('cut' as const), frac: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('size' as const), member, which: fc.nat({ max: 100 }) }),
  fc.record({
    kind: fc.constant('name' as const),
    member,
    name: fc.oneof(fc.constantFrom(...HOSTILE_NAMES), fc.string({ maxLength: 40 })),
  }),
  fc.record({
    kind: fc.constant('type' as const),
    member,
    typeflag: fc.constantFrom('0', '1', '2', '3', '5', '6', '7', 'S', 'L', 'K', 'x', 'g', 'Z', '\0'),
    linkname: fc.constantFrom(...HOSTILE_LINKS),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    member,
    entry: fc.constantFrom(
      'file' as const,
      'symlink' as const,
      'hardlink' as const,
      'dir' as const,
      'pax' as const,
      'longname' as const,
      'whiteout' as const,
    ),
    name: fc.constantFrom(...HOSTILE_NAMES, 'loop', 'etc', 'var/lib/dpkg/status', 'var/lib/dpkg', 'usr/lib/os-release'),
    target: fc.constantFrom(...HOSTILE_LINKS),
  }),
  fc.record({ kind: fc.constant('dup' as const), member }),
);

export const caseArb = fc.record({
  image: fc.constantFrom(...FUZZ_IMAGES),
  mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
  via: fc.constantFrom('path' as const, 'stream' as const),
  chunk: fc.integer({ min: 1, max: 70_000 }),
});
export type FuzzCase = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

const originals = new Map<string, Buffer>();
function original(image: string): Buffer {
  let b = originals.get(image);
  if (!b) {
    b = readFileSync(sharedPath('images', image));
    originals.set(image, b);
  }
  return b;
}

/** The damaged archive: gzip outers are damaged inside (and re-compressed) or, for `flip`/`cut`, as bytes. */
export function damaged(c: FuzzCase): Buffer {
  const orig = original(c.image);
  const gz = c.image.endsWith('.gz');
  let buf = gz ? gunzipSync(orig) : orig;
  for (const m of c.mutations) {
    if (gz && (m.kind === 'flip' || m.kind === 'cut')) {
      buf = mutate(gzipSync(buf, { level: 1 }), m);
      return buf;
    }
    buf = mutate(buf, m);
  }
  return gz ? gzipSync(buf, { level: 1 }) : buf;
}

function* chunks(buf: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

export class PropertyViolation extends Error {}

function clean(p: unknown, what: string): void {
  if (typeof p !== 'string') throw new PropertyViolation(`${what}: not a string (${String(p)})`);
  if (p === '') return;
  if (p.startsWith('/') || p.includes('\0') || p.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new PropertyViolation(`${what}: ${JSON.stringify(p)} is not a clean path inside the image root`);
  }
}

/** Every path the view exposes stays inside the root; every accessor works on every entry. */
export function checkView(view: ImageView): void {
  const codes = new Set(['archive_corrupt', 'collection_time_limit_exceeded']);
  for (const p of view.problems) {
    if (!codes.has(p.code) || typeof p.message !== 'string' || !p.message)
      throw new PropertyViolation(`bad problem ${JSON.stringify(p)}`);
  }
  let n = 0;
  for (const e of view.files.entries()) {
    if (++n > 1_000_000) throw new PropertyViolation('more than a million entries from a small archive');
    clean(e.path, 'entry path');
    const r = view.files.resolve(e.path);
    if (r !== undefined) clean(r, `resolve(${e.path})`);
    const s = view.files.stat(e.path, true);
    if (s) clean(s.path, `stat(${e.path}).path`);
  }
  for (const p of view.files.wanted()) {
    clean(p, 'wanted path');
    const b = view.files.read(p);
    if (b && b.length > MAX_BODY)
      throw new PropertyViolation(`read(${p}) gave ${b.length} bytes, over the request cap`);
    for (const v of view.files.versions(p))
      if (v.body && v.body.length > MAX_BODY) throw new PropertyViolation(`versions(${p}) body over the cap`);
  }
  for (const hostile of ['../../../etc/passwd', '/etc/passwd', '..', '/', 'a/../../..', 'loop', 'x\0y']) {
    const r = view.files.resolve(hostile);
    if (r !== undefined) clean(r, `resolve(${JSON.stringify(hostile)})`);
    view.files.read(hostile);
    view.files.stat(hostile, true);
  }
}

export interface Outcome {
  result: 'view' | 'image-error';
  ms: number;
}

/**
 * Read one damaged archive; resolves with the outcome, rejects (PropertyViolation or the unexpected error)
 * when the property fails. `workDir` holds the file for path reads.
 */
export async function readDamaged(c: FuzzCase, workDir: string, buf = damaged(c)): Promise<Outcome> {
  const t0 = performance.now();
  const opts: ReadOptions = { requests: FUZZ_REQUESTS };
  let read: Promise<ImageView>;
  if (c.via === 'path') {
    const file = join(workDir, `case${c.image.endsWith('.gz') ? '.tar.gz' : '.tar'}`);
    writeFileSync(file, buf);
    read = readImageFromPath(file, opts, silentLogger);
  } else {
    read = readImageFromStream(Readable.from(chunks(buf, c.chunk)), opts, silentLogger, {
      input: 'fuzz',
      kind: 'archive',
    });
  }
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new PropertyViolation(`no result after ${CASE_TIMEOUT_MS} ms (hang)`)),
      CASE_TIMEOUT_MS,
    );
  });
  try {
    const view = await Promise.race([read, hang]);
    checkView(view);
    return { result: 'view', ms: performance.now() - t0 };
  } catch (e) {
    if (e instanceof ImageError) {
      if (!e.message) throw new PropertyViolation('ImageError without a message');
      return { result: 'image-error', ms: performance.now() - t0 };
    }
    if (e instanceof PropertyViolation) throw e;
    throw new PropertyViolation(
      `threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)} — only ImageError is allowed`,
    );
  } finally {
    clearTimeout(timer);
  }
}

/** Bytes of memory the process holds in JS heap and buffers. */
export function heldBytes(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Tallies of one property run (for the test's sanity checks and the bench's figures). */
export interface ImageTally {
  view: number;
  'image-error': number;
  slowestMs: number;
  peakHeld: number;
}

/**
 * The property itself: each damaged archive reads to a view or an ImageError (readDamaged), holds less than
 * 512 MiB afterwards, and leaves `watchedTmp` (the process's TMPDIR) empty.
 */
export function imageReadProperty(workDir: string, watchedTmp: string, tally: ImageTally) {
  const base = heldBytes();
  return fc.asyncProperty(caseArb, async (c: FuzzCase) => {
    const o = await readDamaged(c, workDir);
    tally[o.result]++;
    tally.slowestMs = Math.max(tally.slowestMs, o.ms);
    const held = heldBytes() - base;
    tally.peakHeld = Math.max(tally.peakHeld, held);
    if (held > 512 * 2 ** 20)
      throw new PropertyViolation(`holds ${(held / 2 ** 20).toFixed(0)} MiB more after the case than before the run`);
    const written = readdirSync(watchedTmp);
    if (written.length) throw new PropertyViolation(`the reader wrote ${written.join(', ')} to TMPDIR`);
  });
}
