/**
 * The merged view: whiteouts and opaque folders, symlinks resolved inside the root, the Fedora rpmdb path,
 * the same image in every layout giving the same view, versions per layer.
 */
import { describe, expect, it } from 'vitest';
import { haveShared } from '../helpers/shared.js';
import { fileList, img, oracle, readPath, wantPaths } from './helpers.js';

describe.runIf(haveShared())('merged view', () => {
  it('debian-bookworm: 13 whiteouts and one opaque folder applied (checked against the python oracle)', async () => {
    const want = ['var/lib/dpkg/status', 'etc/os-release'];
    const { view } = await readPath(img('debian-bookworm.oci.tar'), [wantPaths(want)]);
    const o = oracle(img('debian-bookworm.oci.tar'), want);
    expect(fileList(view)).toEqual(o.files);
    // tzdata purged in layer 2: its files are gone, the folders whited out are gone with everything under them
    expect(view.files.stat('etc/localtime', false)).toBeUndefined();
    expect(view.files.stat('etc/timezone')).toBeUndefined();
    expect(view.files.stat('usr/share/zoneinfo')).toBeUndefined();
    expect(view.files.stat('usr/share/zoneinfo/UTC')).toBeUndefined();
    expect(view.files.stat('var/lib/dpkg/info/tzdata.list')).toBeUndefined();
    // the opaque var/log keeps only what layer 2 wrote into it
    const log = [...view.files.entries()].filter((e) => e.path.startsWith('var/log/'));
    expect(log.every((e) => e.layer === 1)).toBe(true);
    expect(view.files.stat('var/log')?.type).toBe('dir');
    // dpkg status: written by both layers, the final one is layer 2's, both versions kept
    const v = view.files.versions('var/lib/dpkg/status');
    expect(v.map((x) => x.layer)).toEqual([0, 1]);
    expect(view.files.read('var/lib/dpkg/status')).toEqual(v[1]!.body);
    expect(v[0]!.body!.toString()).toMatch(/Package: tzdata/);
    expect(v[1]!.body!.toString()).not.toMatch(/Package: tzdata\n/);
    expect(v[1]!.body!.toString()).toMatch(/Package: curl\n/);
    // etc/os-release is a symlink in Debian: the second pass reads its target (issue 16 item 8)
    expect(view.files.wanted()).toEqual(['usr/lib/os-release', 'var/lib/dpkg/status']);
    expect(view.files.stat('etc/os-release', false)?.type).toBe('symlink');
    expect(view.files.resolve('etc/os-release')).toBe('usr/lib/os-release');
    expect(view.files.read('etc/os-release')?.toString()).toMatch(/^PRETTY_NAME="Debian GNU\/Linux 12/);
  });

  it('whiteout.docker.tar: foo.txt removed by layer 2, bar.txt stays', async () => {
    const { view } = await readPath(img('whiteout.docker.tar'), [wantPaths(['foo.txt', 'bar.txt'])]);
    expect(fileList(view)).toEqual(['file bar.txt']);
    expect(view.files.read('foo.txt')).toBeUndefined();
    expect(view.files.versions('foo.txt').map((x) => x.layer)).toEqual([0]); // history kept for attribution
    expect(view.files.read('bar.txt')?.length).toBe(4);
  });

  it('symlinks.tar: relative, absolute, chained links resolve; attack links stay inside the root', async () => {
    const { view } = await readPath(img('symlinks.tar'), [wantPaths(['dir1/sample.txt'])]);
    const sample = view.files.read('dir1/sample.txt');
    expect(sample?.length).toBe(12);
    for (const l of [
      'dir1/absolute-symlink.txt',
      'dir1/chain-symlink.txt',
      'dir1/relative-dot-symlink.txt',
      'dir1/relative-symlink.txt',
      'dir2/dir3/absolute-chain-symlink.txt',
      'dir2/dir3/absolute-subfolder-symlink.txt',
      'dir2/dir3/absolute-symlink-inside-root.txt',
      'dir2/dir3/relative-subfolder-symlink.txt',
    ]) {
      expect(view.files.resolve(l), l).toBe('dir1/sample.txt');
      expect(view.files.read(l), l).toEqual(sample);
      expect(view.files.stat(l)?.path).toBe('dir1/sample.txt');
      expect(view.files.stat(l, false)?.type).toBe('symlink');
    }
    // ../../secret.txt and /../secret.txt are clamped at the image root: secret.txt, which does not exist
    expect(view.files.resolve('dir1/attack-symlink.txt')).toBe('secret.txt');
    expect(view.files.resolve('dir1/attack-symlink-absolute.txt')).toBe('secret.txt');
    expect(view.files.read('dir1/attack-symlink.txt')).toBeUndefined();
    expect(view.files.wanted()).toEqual(['dir1/sample.txt']);
  });

  it('Fedora: var/lib/rpm is a symlink to usr/lib/sysimage/rpm; reading through it gives the real rpmdb', async () => {
    // analyzers request both known locations; the body is kept under the real stored path
    const req = wantPaths(['var/lib/rpm/rpmdb.sqlite', 'usr/lib/sysimage/rpm/rpmdb.sqlite']);
    const { view } = await readPath(img('rpm-fedora38.docker-oci.tar'), [req]);
    const body = view.files.read('var/lib/rpm/rpmdb.sqlite');
    expect(body?.subarray(0, 15).toString()).toBe('SQLite format 3');
    expect(body).toEqual(view.files.read('usr/lib/sysimage/rpm/rpmdb.sqlite'));
    expect(view.files.resolve('/var/lib/rpm/rpmdb.sqlite')).toBe('usr/lib/sysimage/rpm/rpmdb.sqlite');
    expect(view.files.wanted()).toEqual(['usr/lib/sysimage/rpm/rpmdb.sqlite']);
    expect(view.files.versions('var/lib/rpm/rpmdb.sqlite')).toHaveLength(1);
    expect(view.files.stat('var/lib/rpm', false)?.linkname).toBe('../../usr/lib/sysimage/rpm');
  });

  it('a body over the request cap is recorded as null, not read', async () => {
    const { view } = await readPath(img('rpm-rocky9.docker.tar'), [wantPaths(['var/lib/rpm/rpmdb.sqlite'], 1000)]);
    expect(view.files.read('var/lib/rpm/rpmdb.sqlite')).toBeNull();
    expect(view.files.versions('var/lib/rpm/rpmdb.sqlite')[0]!.size).toBeGreaterThan(1000);
  });

  it('the same image in four layouts gives the same files and the same wanted bodies', async () => {
    const want = ['etc/os-release', 'var/lib/dpkg/status'];
    const views = await Promise.all(
      [
        'bad/small.docker.tar',
        'bad/small.docker-oci.tar',
        'bad/small.oci.tar',
        'bad/small.docker.tar.gz',
        'bad/oci-zstd-layer.tar',
      ].map(async (f) => (await readPath(img(f), [wantPaths(want)])).view),
    );
    const first = views[0]!;
    expect(fileList(first)).toContain('file var/lib/dpkg/status');
    for (const v of views.slice(1)) {
      expect(fileList(v)).toEqual(fileList(first));
      for (const w of want) expect(v.files.read(w)).toEqual(first.files.read(w));
      expect(v.target.image_id).toBe(first.target.image_id); // same config bytes in every layout
    }
    expect(first.files.read('var/lib/dpkg/status')?.toString()).toMatch(/Package: zlib1g/);
  });
});
