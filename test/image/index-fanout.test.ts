/**
 * Hostile OCI indexes, generated here (a few KB): indexes that name the next index N times, four levels
 * (N⁴ paths to one manifest), an index that names itself or its parent, and more descriptors than the cap.
 * Each nested index is followed once, so these resolve in bounded time and memory or fail with a reason.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_INDEX_DESCRIPTORS } from '../../src/image/resolve.js';
import { ImageError } from '../../src/image/types.js';
import { type Blob, blob, ociArchive } from '../fuzz/lib/hostile-archives.js';
import { readPath } from './helpers.js';

const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const work = mkdtempSync(join(tmpdir(), 'scanrook-index-fanout-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** One image (an empty layer), its manifest blob and descriptor. */
function image(): { blobs: Blob[]; desc: { mediaType: string; digest: string; size: number } } {
  const layer = blob(Buffer.alloc(1024));
  const config = blob(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.digest] } }),
  );
  const manifest = blob(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: config.digest,
        size: config.body.length,
      },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layer.digest, size: layer.body.length }],
    }),
  );
  return {
    blobs: [layer, config, manifest],
    desc: { mediaType: MANIFEST, digest: manifest.digest, size: manifest.body.length },
  };
}

function indexOf(descs: unknown[]): string {
  return JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests: descs });
}

async function read(name: string, archive: Buffer): Promise<unknown> {
  const path = join(work, name);
  writeFileSync(path, archive);
  try {
    return await readPath(path);
  } catch (e) {
    return e;
  }
}

describe('OCI index fan-out', () => {
  it('N=40 indexes naming the next one 40 times, four levels (2.5 million paths): one image, at once', async () => {
    const N = 40;
    const img = image();
    const blobs = [...img.blobs];
    let desc: unknown = img.desc;
    for (let level = 0; level < 3; level++) {
      const b = blob(indexOf(Array.from({ length: N }, () => desc)));
      blobs.push(b);
      desc = { mediaType: INDEX, digest: b.digest, size: b.body.length };
    }
    const archive = ociArchive(JSON.parse(indexOf(Array.from({ length: N }, () => desc))), blobs);
    expect(archive.length).toBeLessThan(64 * 1024);
    const r = (await read('fanout.oci.tar', archive)) as { view: { target: { format: string } } };
    expect(r).not.toBeInstanceOf(Error);
    expect(r.view.target.format).toBe('oci-archive');
  }, 20_000);

  it('an index naming itself, and one naming its parent: archive_corrupt, a cycle', async () => {
    const img = image();
    // a blob cannot hold its own digest, but the archive does not check digests against the bytes: an
    // index stored under a digest of its own choosing names that digest
    const self = Buffer.from(indexOf([{ mediaType: INDEX, digest: `sha256:${'a'.repeat(64)}`, size: 1 }]));
    const selfArchive = ociArchive(
      JSON.parse(indexOf([{ mediaType: INDEX, digest: `sha256:${'a'.repeat(64)}`, size: self.length }])),
      [...img.blobs, { digest: `sha256:${'a'.repeat(64)}`, body: self }],
    );
    const e1 = await read('self.oci.tar', selfArchive);
    expect(e1).toBeInstanceOf(ImageError);
    expect((e1 as ImageError).code).toBe('archive_corrupt');
    expect((e1 as ImageError).message).toMatch(/cycle/);
    // parent ↔ child under forged digests: index.json → P (names C) → C (names the image and P)
    const P = `sha256:${'b'.repeat(64)}`;
    const C = `sha256:${'c'.repeat(64)}`;
    const parentArchive = ociArchive(JSON.parse(indexOf([{ mediaType: INDEX, digest: P, size: 1 }])), [
      ...img.blobs,
      { digest: P, body: Buffer.from(indexOf([{ mediaType: INDEX, digest: C, size: 1 }])) },
      { digest: C, body: Buffer.from(indexOf([img.desc, { mediaType: INDEX, digest: P, size: 1 }])) },
    ]);
    const e2 = await read('parent.oci.tar', parentArchive);
    expect(e2).toBeInstanceOf(ImageError);
    expect((e2 as ImageError).code).toBe('archive_corrupt');
    expect((e2 as ImageError).message).toMatch(/cycle/);
  }, 20_000);

  it(`more than ${MAX_INDEX_DESCRIPTORS} descriptors: archive_corrupt, the fan-out over the cap`, async () => {
    const img = image();
    const archive = ociArchive(
      JSON.parse(indexOf(Array.from({ length: MAX_INDEX_DESCRIPTORS + 1 }, () => ({ digest: img.desc.digest })))),
      img.blobs,
    );
    const e = await read('wide.oci.tar', archive);
    expect(e).toBeInstanceOf(ImageError);
    expect((e as ImageError).code).toBe('archive_corrupt');
    expect((e as ImageError).message).toMatch(/index fan-out is over the cap/);
  }, 20_000);
});
