/**
 * Bad inputs, each expectation decided from how build-bad.sh made the archive (see the comment per case).
 * Archives ../shared lacks are generated once by build-bad.sh into a temp cache (helpers.generatedBad()).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readImageFromPath } from '../../src/image/read.js';
import { readImageFromStream } from '../../src/image/read-stream.js';
import { ImageError } from '../../src/image/types.js';
import { MemoryLogger, silentLogger } from '../../src/util/logger.js';
import { haveShared } from '../helpers/shared.js';
import { fileList, generatedBad, img, opts, readPath, readStream, wantPaths } from './helpers.js';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ImageError);
    expect((e as Error).message).not.toMatch(/\n\s+at /); // a sentence, never a stack trace
    return (e as ImageError).code;
  }
  return 'no error';
}

const WANT = wantPaths(['etc/os-release', 'var/lib/dpkg/status']);

describe.runIf(haveShared())('bad archives in ../shared/images/bad', () => {
  it('missing path → file_not_found', async () => {
    expect(await code(readImageFromPath(img('bad/does-not-exist.tar'), opts(), silentLogger))).toBe('file_not_found');
  });
  it('zero-bytes.tar (empty file) → unsupported_media_type', async () => {
    expect(await code(readPath(img('bad/zero-bytes.tar')))).toBe('unsupported_media_type');
  });
  it('not-a-tar.tar (4 KiB of random bytes) → unsupported_media_type, from a file and from a stream', async () => {
    expect(await code(readPath(img('bad/not-a-tar.tar')))).toBe('unsupported_media_type');
    expect(await code(readStream(img('bad/not-a-tar.tar')))).toBe('unsupported_media_type');
  });
  it('no-manifest.tar (a tar, but no manifest.json / index.json) → unsupported_media_type', async () => {
    expect(await code(readPath(img('bad/no-manifest.tar')))).toBe('unsupported_media_type');
    expect(await code(readStream(img('bad/no-manifest.tar')))).toBe('unsupported_media_type');
  });
  it('manifest-bad-json.tar (manifest.json cut mid-JSON) → archive_corrupt', async () => {
    expect(await code(readPath(img('bad/manifest-bad-json.tar')))).toBe('archive_corrupt');
  });
  it('truncated-header.tar (cut inside the 4th tar header) → archive_corrupt, never read as a short archive', async () => {
    expect(await code(readPath(img('bad/truncated-header.tar')))).toBe('archive_corrupt');
    expect(await code(readStream(img('bad/truncated-header.tar')))).toBe('archive_corrupt');
  });
  it('truncated-half.tar (first half of small.docker.tar: cut inside layer.tar, manifest.json lost) → archive_corrupt', async () => {
    expect(await code(readPath(img('bad/truncated-half.tar')))).toBe('archive_corrupt');
    // the stream ends early: detected as archive_corrupt, not scanned as if complete
    expect(await code(readStream(img('bad/truncated-half.tar')))).toBe('archive_corrupt');
  });
  it('layer-corrupt.tar (outer tar fine, the only layer.tar is 0xdeadbeef) → view returned with an archive_corrupt problem', async () => {
    for (const read of [readPath, readStream]) {
      const { view } = await read(img('bad/layer-corrupt.tar'), [WANT]);
      expect(view.problems).toHaveLength(1);
      expect(view.problems[0]).toMatchObject({ code: 'archive_corrupt', layer: 0 });
      expect(view.problems[0]!.message).toMatch(/^layer 1 of 1 \(sha256:[0-9a-f]{12}…\): not a tar/);
      expect(view.files.fileCount).toBe(0);
      expect(view.target.refs).toEqual(['test/small:1']); // the config was read
    }
  });
  it('layer-truncated.tar (layer.tar cut to 700 bytes, member size updated) → archive_corrupt problem on layer 0', async () => {
    for (const read of [readPath, readStream]) {
      const { view } = await read(img('bad/layer-truncated.tar'), [WANT]);
      expect(view.problems.map((p) => [p.code, p.layer])).toEqual([['archive_corrupt', 0]]);
      expect(view.problems[0]!.message).toMatch(/cut short/);
    }
  });
  it('a gzip layer cut short is reported as such with where it broke; other layers still applied', async () => {
    // build: debian-bookworm.oci.tar with its second (gzip) layer blob cut in half (python tarfile, temp dir)
    const dir = mkdtempSync(join(tmpdir(), 'scanrook-img-'));
    try {
      const out = join(dir, 'cut.tar');
      execFileSync('python3', [
        '-c',
        `
import tarfile, io, sys
src, out = sys.argv[1], sys.argv[2]
with tarfile.open(src) as t, tarfile.open(out, 'w') as o:
    for m in t.getmembers():
        d = t.extractfile(m).read() if m.isfile() else None
        if d is not None and m.name.endswith('f40350758034b72969f43f7f0efa3da3f2b85e96de883314617fb6a8725d3904'):
            d = d[:len(d)//2]
        if d is not None: m.size = len(d)
        o.addfile(m, io.BytesIO(d) if d is not None else None)
`,
        img('debian-bookworm.oci.tar'),
        out,
      ]);
      const { view } = await readPath(out, [WANT]);
      expect(view.problems).toHaveLength(1);
      expect(view.problems[0]).toMatchObject({ code: 'archive_corrupt', layer: 1 });
      expect(view.problems[0]!.message).toMatch(
        /^layer 2 of 2 \(sha256:f40350758034…\): gzip data ends early after 3\.\d MB/,
      );
      expect(view.files.stat('usr/bin/dpkg')?.layer).toBe(0); // layer 1 applied
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('maxImageSize → image_size_exceeded (file and stream)', async () => {
    expect(await code(readPath(img('bad/small.docker.tar'), [], { maxImageSize: 1000 }))).toBe('image_size_exceeded');
    expect(await code(readStream(img('debian-bookworm.oci.tar'), [], { maxImageSize: 1 << 20 }))).toBe(
      'image_size_exceeded',
    );
  });
  it('an aborted signal stops the read and returns what was read with collection_time_limit_exceeded', async () => {
    const ac = new AbortController();
    const started = Date.now();
    const p = readPath(img('lang.oci.tar'), [WANT], { signal: ac.signal });
    setTimeout(() => ac.abort(), 150);
    const { view } = await p;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(view.problems.some((x) => x.code === 'collection_time_limit_exceeded')).toBe(true);
    expect(view.target.format).toBe('oci-archive');
    // before the manifest is known, an abort is an error with that code
    const ac2 = new AbortController();
    ac2.abort();
    expect(await code(readStream(img('bad/small.docker.tar'), [], { signal: ac2.signal }))).toBe(
      'collection_time_limit_exceeded',
    );
  });
  it('a stream that ends early (docker save killed) is archive_corrupt', async () => {
    const data = readFileSync(img('bad/small.docker.tar'));
    const cut = Readable.from([data.subarray(0, 20000)]);
    expect(await code(readImageFromStream(cut, opts(), silentLogger, { input: 'test', kind: 'docker' }))).toBe(
      'archive_corrupt',
    );
  });
  it('an OCI layout folder reads like its archive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scanrook-img-'));
    try {
      execFileSync('tar', ['xf', img('bad/small.oci.tar'), '-C', dir]);
      const { view } = await readPath(dir, [WANT]);
      const { view: arch } = await readPath(img('bad/small.oci.tar'), [WANT]);
      expect(view.target.format).toBe('oci-layout');
      expect(view.target.kind).toBe('oci-layout');
      expect(fileList(view)).toEqual(fileList(arch));
      expect(view.files.read('var/lib/dpkg/status')).toEqual(arch.files.read('var/lib/dpkg/status'));
      expect(await code(readPath(join(dir, 'blobs')))).toBe('unsupported_media_type');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.runIf(haveShared())('archives generated by build-bad.sh', () => {
  const bad = generatedBad();
  it('truncated-no-eof.tar (all members complete, end-of-archive blocks missing) → read, flagged archive_corrupt', async () => {
    const { view } = await readPath(join(bad, 'truncated-no-eof.tar'), [WANT]);
    expect(view.files.read('var/lib/dpkg/status')?.toString()).toMatch(/zlib1g/);
    expect(view.problems).toEqual([expect.objectContaining({ code: 'archive_corrupt', layer: null })]);
    expect(view.problems[0]!.message).toMatch(/end-of-archive/);
  });
  it('manifest-missing-layer.tar (manifest names a layer that is absent) → archive_corrupt', async () => {
    expect(await code(readPath(join(bad, 'manifest-missing-layer.tar')))).toBe('archive_corrupt');
    expect(await code(readStream(join(bad, 'manifest-missing-layer.tar')))).toBe('archive_corrupt');
  });
  it('oci-missing-blob.tar (index → manifest → absent layer blob) → archive_corrupt', async () => {
    expect(await code(readPath(join(bad, 'oci-missing-blob.tar')))).toBe('archive_corrupt');
  });
  it('diffid-mismatch.tar: read as written (layer digests are not verified: seekable reads skip the bodies)', async () => {
    const { view } = await readPath(join(bad, 'diffid-mismatch.tar'), [WANT]);
    expect(view.problems).toEqual([]);
    expect(view.files.read('var/lib/dpkg/status')?.toString()).toMatch(/ZLIB1G/);
  });
  it('multi-image.docker.tar: without a ref → image_not_found listing both refs; with a ref → that image', async () => {
    const f = join(bad, 'multi-image.docker.tar');
    const err = await readPath(f).catch((e: ImageError) => e);
    expect(err).toBeInstanceOf(ImageError);
    expect((err as ImageError).code).toBe('image_not_found');
    expect((err as ImageError).message).toMatch(/test\/small:1.*test\/empty-layer:1/);
    const { view } = await readPath(f, [WANT], { ref: 'test/small:1' });
    expect(view.target.refs).toEqual(['test/small:1']);
    expect(view.target.selection).toMatch(/ref test\/small:1/);
    expect(view.files.read('var/lib/dpkg/status')).toBeTruthy();
    const { view: v2 } = await readStream(f, [], { ref: 'docker.io/test/empty-layer:1' });
    expect(v2.layers).toHaveLength(1);
    expect(v2.files.fileCount).toBe(0);
    expect(await code(readPath(f, [], { ref: 'nope:1' }))).toBe('image_not_found');
  });
  it('empty-zero-layers.docker-oci.tar is a valid empty image', async () => {
    const { view } = await readPath(join(bad, 'empty-zero-layers.docker-oci.tar'));
    expect(view.target.format).toBe('docker-oci-archive');
    expect(view.layers).toEqual([]);
  });
  it('hostile-paths.docker.tar: traversal ignored, absolute paths contained, links resolve inside the root, nothing written', async () => {
    const before = existsSync('/tmp/pwned-by-layer');
    const req = wantPaths(['var/lib/dpkg/status', 'etc/passwd', 'etc/os-release', 'etc/absolute-path', 'etc/hard-out']);
    for (const read of [readPath, readStream]) {
      const logger = new MemoryLogger();
      const view =
        read === readPath
          ? await readImageFromPath(join(bad, 'hostile-paths.docker.tar'), opts([req]), logger)
          : (await readStream(join(bad, 'hostile-paths.docker.tar'), [req])).view;
      const paths = fileList(view);
      expect(paths.some((p) => p.includes('..') || p.includes('pwned'))).toBe(false);
      expect(view.files.read('etc/absolute-path')?.toString()).toBe('absolute path\n'); // '/etc/…' → 'etc/…'
      expect(view.files.resolve('etc/shadow-link')).toBe('etc/shadow');
      expect(view.files.resolve('etc/dotdot-link')).toBe('etc/passwd');
      expect(view.files.read('etc/dotdot-link')).toBeUndefined(); // no etc/passwd in the image
      expect(view.files.stat('etc/hard-out')).toBeUndefined(); // hard link out of the root: ignored
      // the dpkg status that is a symlink to /etc/passwd resolves to the image's etc/passwd (absent)
      expect(view.files.stat('var/lib/dpkg/status', false)?.type).toBe('symlink');
      expect(view.files.read('var/lib/dpkg/status')).toBeUndefined();
      expect(view.files.resolve('loop/a')).toBeUndefined(); // a -> b -> a: bounded
      expect(view.files.stat('loop/a')).toBeUndefined();
      expect(view.files.stat('loop/a', false)?.type).toBe('symlink');
      expect(view.files.stat(`deep/${Array(200).fill('d').join('/')}/file`)?.type).toBe('file');
      expect(view.files.stat('dev/fifo')?.type).toBe('other');
      expect(view.files.stat('dev/null')?.type).toBe('other');
      expect(view.files.read('etc/os-release')?.toString()).toMatch(/bookworm/);
      expect(view.problems).toEqual([]);
      if (read === readPath)
        expect(logger.lines.some((l) => l.level === 'warn' && /leave the image root/.test(l.message))).toBe(true);
    }
    expect(existsSync('/tmp/pwned-by-layer')).toBe(before);
    expect(before).toBe(false);
  });
});
