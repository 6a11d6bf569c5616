/**
 * Every good image in ../shared/images opens with the right layout, layer count, config and history mapping,
 * and its merged file list and wanted bodies equal those of an independent python/tarfile oracle
 * (test/image/oracle.py) — read from the file (seekable) and from a stream (single pass, as `docker save`).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { haveShared } from '../helpers/shared.js';
import { fileList, img, oracle, readPath, readStream, wantPaths } from './helpers.js';

const WANTED = [
  'etc/os-release',
  'usr/lib/os-release',
  'var/lib/dpkg/status',
  'var/lib/rpm/rpmdb.sqlite',
  'usr/lib/sysimage/rpm/rpmdb.sqlite',
  'dir1/sample.txt',
  'bar.txt',
  'foo.txt',
  'app/package-lock.json',
];

const IMAGES: [string, string, number][] = [
  // file, expected format, expected layers (from README / `tar tf`)
  ['debian-bookworm.oci.tar', 'oci-archive', 2],
  ['distroless-base.oci.tar', 'oci-archive', 1],
  ['lang.oci.tar', 'oci-archive', 3],
  ['hello-world.docker.tar', 'docker-oci-archive', 1],
  ['rpm-fedora38.docker-oci.tar', 'docker-oci-archive', 1],
  ['rpm-rocky9.docker.tar', 'docker-archive', 1],
  ['scratch-busybox.docker.tar', 'docker-archive', 1],
  ['scratch-go.docker.tar', 'docker-archive', 1],
  ['symlinks.tar', 'docker-archive', 2],
  ['whiteout.docker.tar', 'docker-archive', 3],
  ['alpine-3.10.docker.tar.gz', 'docker-archive', 1],
  ['alpine-3.11.docker.tar.gz', 'docker-archive', 1],
  ['bad/small.docker.tar', 'docker-archive', 1],
  ['bad/small.docker-oci.tar', 'docker-oci-archive', 1],
  ['bad/small.oci.tar', 'oci-archive', 1],
  ['bad/small.docker.tar.gz', 'docker-archive', 1],
  ['bad/oci-zstd-layer.tar', 'oci-archive', 1],
  ['bad/empty-layer.docker.tar', 'docker-archive', 1],
];

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.runIf(haveShared())('good images match the oracle', () => {
  for (const [name, format, layers] of IMAGES) {
    it(name, async () => {
      const path = img(name);
      const want = oracle(path, WANTED);
      expect(want.format).toBe(format);
      expect(want.layers).toBe(layers);
      for (const mode of ['file', 'stream'] as const) {
        const { view } =
          mode === 'file' ? await readPath(path, [wantPaths(WANTED)]) : await readStream(path, [wantPaths(WANTED)]);
        expect(view.problems, mode).toEqual([]);
        expect(view.target.format, mode).toBe(format);
        expect(view.layers.length, mode).toBe(layers);
        expect(view.target.layers).toBe(view.layers);
        expect(view.target.platform?.split('/')[0]).toBe(want.os);
        expect(view.target.architecture).toBe(want.architecture);
        expect(view.target.image_id).toMatch(/^sha256:[0-9a-f]{64}$/);
        expect(view.target.refs).toEqual(expect.arrayContaining(want.refs.filter((r) => r.includes(':'))));
        // each layer maps to its (non-empty) history entry
        expect(view.layers.map((l) => l.created_by)).toEqual(want.created_by);
        for (const l of view.layers) {
          const h = l.history_index === null ? null : view.target.history[l.history_index]!;
          expect(h?.created_by ?? null).toBe(l.created_by);
          expect(h?.empty_layer ?? false).toBe(false);
        }
        expect(fileList(view), mode).toEqual(want.files);
        expect(view.files.fileCount).toBe(want.files.length);
        const bodies: Record<string, string> = {};
        for (const w of WANTED) {
          const b = view.files.read(w);
          if (b && view.files.resolve(w) === w) bodies[w] = sha(b);
        }
        expect(bodies, mode).toEqual(want.bodies);
      }
    });
  }
});

describe.runIf(haveShared())('config and history details', () => {
  it('hello-world (real Docker 25 save, arm64, empty index.json): history entries mapped, platform noted', async () => {
    const { view } = await readPath(img('hello-world.docker.tar'));
    expect(view.target.platform).toBe('linux/arm64');
    expect(view.target.selection).toMatch(/only image is linux\/arm64/);
    expect(view.target.history.length).toBeGreaterThan(view.layers.length); // CMD is an empty_layer entry
    expect(view.target.history[view.layers[0]!.history_index!]!.empty_layer).toBe(false);
    expect(view.files.stat('hello')?.type).toBe('file');
  });

  it('alpine 3.10 config: env, created, a layer digest-less legacy layout with its diff_id', async () => {
    const { view } = await readPath(img('alpine-3.10.docker.tar.gz'), [wantPaths(['etc/os-release'])]);
    expect(view.target.env.some((e) => e.startsWith('PATH='))).toBe(true);
    expect(view.target.created).toMatch(/^20\d\d-/);
    expect(view.layers[0]!.diff_id).toMatch(/^sha256:/);
    expect(view.target.refs).toEqual(['alpine:3.10']);
    expect(view.files.read('etc/os-release')?.toString()).toMatch(/VERSION_ID=3\.10/);
  });

  it('OCI archive records the manifest digest and layer media types', async () => {
    const { view } = await readPath(img('debian-bookworm.oci.tar'));
    expect(view.target.manifest_digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(view.layers.map((l) => l.media_type)).toEqual([
      'application/vnd.oci.image.layer.v1.tar+gzip',
      'application/vnd.oci.image.layer.v1.tar+gzip',
    ]);
    expect(view.layers[0]!.digest).toMatch(/^sha256:eeb4c5c6/);
    expect(view.layers[0]!.size).toBe(48753126);
  });

  it('zero-layer images are valid and give an empty view', async () => {
    for (const f of ['bad/empty-zero-layers.docker.tar', 'bad/empty-zero-layers.oci.tar']) {
      const { view } = await readPath(img(f));
      expect(view.layers).toEqual([]);
      expect(view.problems).toEqual([]);
      expect(view.files.fileCount).toBe(0);
      expect(view.target.history[0]!.empty_layer).toBe(true);
    }
  });
});
