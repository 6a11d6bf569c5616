/**
 * docker save's output read into a ring of reused buffers (src/image/chunk-ring.ts): whatever the reader keeps
 * must be copied before the ring reuses the memory. Every shared image is read through the `docker:REF` path
 * (a stand-in docker that streams the archive with `cat`) with poisoned rings — each released slot is
 * overwritten at once, so a view kept too long reads garbage — in several ring shapes (tiny odd slots force
 * headers and bodies to span reads and the socket to pause), and through the plain-pipe fallback; the result
 * must equal reading the file: every entry and every wanted body.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChunkRing, POISON, ProcessOutput } from '../../src/image/chunk-ring.js';
import { type DockerReadOptions, readImageFromDocker } from '../../src/image/docker.js';
import { readImageFromPath } from '../../src/image/read.js';
import { socketPair } from '../../src/image/socket-pair.js';
import { type FileRequest, ImageError, type ImageView } from '../../src/image/types.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { haveShared, sharedPath } from '../helpers/shared.js';

/** Every regular file up to 256 KiB is wanted: thousands of bodies to compare. */
const requests: FileRequest[] = [{ match: () => true, maxSize: 256 * 1024 }];

function entries(v: ImageView): string[] {
  return [...v.files.entries()]
    .map((e) => `${e.path}\t${e.type}\t${e.size}\t${e.mode}\t${e.linkname ?? ''}\t${e.layer}`)
    .sort();
}

/** The output of `cat FILE` through a socket pair and a ProcessOutput over `ring`; each chunk copied on receipt. */
async function catThroughRing(
  file: string,
  ring: ChunkRing,
  keepViews = false,
): Promise<{ copied: Buffer; views: Buffer[] }> {
  const out = new ProcessOutput(ring);
  const pair = await socketPair(out.onread());
  expect(pair, 'a socket pair can be made here').not.toBeNull();
  const child = spawn('cat', [file], { stdio: ['ignore', pair!.theirs, 'inherit'] });
  pair!.theirs.destroy();
  out.attach(pair!.ours);
  const copies: Buffer[] = [];
  const views: Buffer[] = [];
  for await (const c of out) {
    copies.push(Buffer.from(c));
    if (keepViews) views.push(c);
    // give the event loop a turn now and then, so that reads queue up and the ring fills and pauses
    if (copies.length % 7 === 0) await new Promise((r) => setImmediate(r));
  }
  await new Promise((r) => (child.exitCode === null ? child.once('close', r) : r(null)));
  return { copied: Buffer.concat(copies), views };
}

describe.skipIf(!haveShared())('docker save read into a ring of reused buffers', () => {
  let work = '';
  let docker = '';
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'scanrook-ring-'));
    docker = join(work, 'docker');
    // stand-in for `docker save REF`: streams the archive named by the environment
    writeFileSync(docker, '#!/bin/sh\n[ "$1" = save ] || exit 64\nexec cat "$RING_TEST_ARCHIVE"\n', { mode: 0o755 });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('a ring of 3 slots of 1000 bytes carries a whole archive byte for byte (with pauses)', async () => {
    const file = sharedPath('images', 'hello-world.docker.tar');
    const ring = new ChunkRing({ slotSize: 1000, slots: 3, poison: true });
    const { copied } = await catThroughRing(file, ring);
    expect(copied.equals(readFileSync(file))).toBe(true);
    expect(ring.live).toBe(0);
  });

  it('poisoning is real: a chunk kept without copying reads garbage once released', async () => {
    const file = sharedPath('images', 'hello-world.docker.tar');
    const { copied, views } = await catThroughRing(
      file,
      new ChunkRing({ slotSize: 4096, slots: 4, poison: true }),
      true,
    );
    expect(views.length).toBeGreaterThan(4);
    expect(copied.subarray(0, 512).every((b) => b === POISON)).toBe(false);
    // the first chunk's memory was reused or poisoned long ago
    expect(views[0]!.equals(copied.subarray(0, views[0]!.length))).toBe(false);
  });

  const images = haveShared()
    ? readdirSync(sharedPath('images'))
        .filter((f) => /\.tar(\.gz)?$/.test(f))
        .sort()
    : [];
  const shapes: { name: string; ring: NonNullable<DockerReadOptions['ring']> }[] = [
    { name: 'default ring, poisoned', ring: { poison: true } },
    { name: '3 slots of 4099 bytes, poisoned', ring: { poison: true, slotSize: 4099, slots: 3 } },
    { name: 'plain pipe fallback', ring: { transport: 'pipe' } },
  ];
  for (const name of images) {
    it(`${name}: the same image as reading the file, in every ring shape`, { timeout: 120_000 }, async () => {
      const archive = sharedPath('images', name);
      const fromFile = await readImageFromPath(archive, { requests }, new MemoryLogger());
      const want = entries(fromFile);
      const wanted = fromFile.files.wanted().sort();
      expect(wanted.length).toBeGreaterThan(0);
      for (const shape of shapes) {
        const env = { ...process.env, RING_TEST_ARCHIVE: archive };
        const v = await readImageFromDocker(
          'ring/test:1',
          { requests, dockerBin: docker, env, ring: shape.ring },
          new MemoryLogger(),
        );
        expect(v.problems, shape.name).toEqual(fromFile.problems);
        expect(v.target.image_id, shape.name).toBe(fromFile.target.image_id);
        expect(
          v.layers.map((l) => [l.diff_id, l.entries]),
          shape.name,
        ).toEqual(fromFile.layers.map((l) => [l.diff_id, l.entries]));
        expect(entries(v), shape.name).toEqual(want);
        expect(v.files.wanted().sort(), shape.name).toEqual(wanted);
        for (const p of wanted) {
          const a = v.files.read(p);
          const b = fromFile.files.read(p);
          expect(a ? a.toString('base64') : String(a), `${shape.name}: ${p}`).toBe(
            b ? b.toString('base64') : String(b),
          );
        }
      }
    });
  }

  it('the size limit still stops docker save mid-stream through the ring', async () => {
    const archive = sharedPath('images', 'debian-bookworm.oci.tar');
    const env = { ...process.env, RING_TEST_ARCHIVE: archive };
    let err: unknown;
    try {
      await readImageFromDocker(
        'ring/test:1',
        { requests, dockerBin: docker, env, maxImageSize: 5 << 20, ring: { poison: true } },
        new MemoryLogger(),
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImageError);
    expect((err as ImageError).code).toBe('image_size_exceeded');
  });

  it('progress is reported from the bytes docker streams, ending at the archive size', async () => {
    const archive = sharedPath('images', 'debian-bookworm.oci.tar');
    const env = { ...process.env, RING_TEST_ARCHIVE: archive };
    const seen: number[] = [];
    const v = await readImageFromDocker(
      'ring/test:1',
      { requests: [], dockerBin: docker, env, onProgress: (b) => seen.push(b) },
      new MemoryLogger(),
    );
    const size = readFileSync(archive).length;
    expect(seen.at(-1)).toBe(size);
    expect(v.target.size_bytes).toBe(size);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});
