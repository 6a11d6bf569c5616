/**
 * The tar parser against python's tarfile (the oracle writes the archives): GNU and PAX long names and link
 * names, ustar prefixes, checksum verification, truncation — in seekable and streaming modes. Also: an
 * uncompressed archive file is read without reading the bodies nobody asked for.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { readImageFromPathDetailed } from '../../src/image/read.js';
import { type TarEntry, TarError } from '../../src/image/tar-header.js';
import { PositionalFile, walkTarSeekable } from '../../src/image/tar-seek.js';
import { walkTarStream } from '../../src/image/tar-stream.js';
import { silentLogger } from '../../src/util/logger.js';
import { haveShared } from '../helpers/shared.js';
import { img, wantPaths } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'scanrook-tar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Make a tar with python's tarfile in the given format; returns its path and tarfile's own listing. */
function pyTar(format: 'GNU' | 'PAX' | 'USTAR'): { path: string; listing: [string, string, number, string][] } {
  const path = join(dir, `${format}.tar`);
  const out = execFileSync('python3', [
    '-c',
    `
import io, json, sys, tarfile
fmt = getattr(tarfile, sys.argv[2] + '_FORMAT')
long = 'a/' + 'x' * 150 + '/' + 'y' * 120 + '.txt'
with tarfile.open(sys.argv[1], 'w', format=fmt) as t:
    def add(name, data=None, **kw):
        m = tarfile.TarInfo(name)
        for k, v in kw.items(): setattr(m, k, v)
        if data is not None: m.size = len(data)
        t.addfile(m, io.BytesIO(data) if data is not None else None)
    add('dir', type=tarfile.DIRTYPE)
    add('dir/small.txt', b'hello\\n')
    add('dir/empty', b'')
    add('dir/big.bin', bytes(range(256)) * 300)
    if sys.argv[2] != 'USTAR':
        add(long, b'long name body')
        add('dir/longlink', type=tarfile.SYMTYPE, linkname='../' + 'z' * 130)
        add('dir/uni-\u00e9\u00e8.txt', b'x')
    else:
        add('p' * 90 + '/' + 'q' * 90 + '.txt', b'prefix')
    add('dir/hard', type=tarfile.LNKTYPE, linkname='dir/small.txt')
    add('dir/fifo', type=tarfile.FIFOTYPE)
with tarfile.open(sys.argv[1]) as t:
    print(json.dumps([[m.name, 'dir' if m.isdir() else 'symlink' if m.issym() else 'hardlink' if m.islnk() else 'file' if m.isfile() else 'other', m.size if m.isfile() else 0, m.linkname] for m in t.getmembers()]))
`,
    path,
    format,
  ]);
  return { path, listing: JSON.parse(out.toString()) };
}

const norm = (e: TarEntry): [string, string, number, string] => [
  e.name.replace(/\/$/, ''),
  e.type,
  e.type === 'file' ? e.size : 0,
  e.linkname,
];

async function seekList(path: string, size = statSync(path).size) {
  const fh = await open(path, 'r');
  try {
    const f = new PositionalFile(fh, size);
    const out: [string, string, number, string][] = [];
    const bodies = new Map<string, Buffer>();
    await walkTarSeekable(f, 0, size, async (e, off) => {
      out.push(norm(e));
      if (e.type === 'file') bodies.set(e.name, Buffer.from(await f.read(off, e.size)));
    });
    return { out, bodies };
  } finally {
    await fh.close();
  }
}

async function streamList(data: Buffer, chunk = 700) {
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunk) chunks.push(data.subarray(i, i + chunk));
  const out: [string, string, number, string][] = [];
  const bodies = new Map<string, Buffer>();
  await walkTarStream(Readable.from(chunks), async (e, body) => {
    out.push(norm(e));
    if (e.type === 'file' && e.name.endsWith('.bin')) bodies.set(e.name, await body.readAll());
  });
  return { out, bodies };
}

describe('tar parser', () => {
  for (const fmt of ['GNU', 'PAX', 'USTAR'] as const) {
    it(`${fmt} format: same entries as python tarfile, seekable and streaming`, async () => {
      const { path, listing } = pyTar(fmt);
      const s = await seekList(path);
      expect(s.out).toEqual(listing);
      expect(s.bodies.get('dir/big.bin')).toEqual(
        Buffer.from(Array.from({ length: 300 }, () => [...Array(256).keys()]).flat()),
      );
      const st = await streamList(readFileSync(path));
      expect(st.out).toEqual(listing);
      expect(st.bodies.get('dir/big.bin')).toEqual(s.bodies.get('dir/big.bin'));
    });
  }

  it('PAX records: path, linkpath and size apply; other keys (mtime, comment, pathx, LINKPATH) do not; as python reads them', async () => {
    const path = join(dir, 'pax-keys.tar');
    const listing = JSON.parse(
      execFileSync('python3', [
        '-c',
        `
import io, json, sys, tarfile
with tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT) as t:
    def add(name, data=None, pax=None, **kw):
        m = tarfile.TarInfo(name)
        for k, v in kw.items(): setattr(m, k, v)
        if data is not None: m.size = len(data)
        if pax: m.pax_headers = pax
        t.addfile(m, io.BytesIO(data) if data is not None else None)
    add('short.txt', b'abc', pax={'path': 'renamed/by-pax.txt', 'mtime': '1795304304.5242093', 'comment': 'path=no'})
    add('keep.txt', b'kept', pax={'pathx': 'not/a/path', 'pat': 'nor/this', 'LINKPATH': 'x', 'atime': '1.5'})
    add('ln', type=tarfile.SYMTYPE, linkname='old', pax={'linkpath': 'new/target', 'path': 'dir/\u00e9l\u00e8ve'})
    add('sized.bin', b'0123456789', pax={'size': '10', 'SCHILY.xattr.user.x': 'size=3'})
    add('last.txt', b'z')
with tarfile.open(sys.argv[1]) as t:
    print(json.dumps([[m.name, 'symlink' if m.issym() else 'file', m.size if m.isfile() else 0, m.linkname] for m in t.getmembers()]))
`,
        path,
      ]).toString(),
    );
    expect(listing.map((l: string[]) => l[0])).toEqual([
      'renamed/by-pax.txt',
      'keep.txt',
      'dir/\u00e9l\u00e8ve',
      'sized.bin',
      'last.txt',
    ]);
    const s = await seekList(path);
    expect(s.out).toEqual(listing);
    expect(s.bodies.get('sized.bin')?.toString()).toBe('0123456789');
    expect((await streamList(readFileSync(path), 333)).out).toEqual(listing);
  });

  it('a malformed PAX record length is a bad header (seekable and streaming)', async () => {
    const path = join(dir, 'pax-bad.tar');
    execFileSync('python3', [
      '-c',
      `
import io, sys, tarfile
with tarfile.open(sys.argv[1], 'w', format=tarfile.PAX_FORMAT) as t:
    m = tarfile.TarInfo('a.txt'); m.size = 1; m.pax_headers = {'comment': 'x'}
    t.addfile(m, io.BytesIO(b'a'))
`,
      path,
    ]);
    const data = Buffer.from(readFileSync(path));
    // the PAX body starts at byte 512 with its decimal length: make it claim more than the body holds
    const rec = data.toString('latin1', 512, 530);
    expect(rec).toMatch(/^\d+ comment=x\n/);
    data.write('9', 512, 'latin1');
    const bad = join(dir, 'pax-bad-len.tar');
    writeFileSync(bad, data);
    await expect(seekList(bad)).rejects.toMatchObject({ kind: 'bad_header' });
    await expect(streamList(data)).rejects.toMatchObject({ kind: 'bad_header' });
  });

  it('a bad checksum is an error, not the end of the archive', async () => {
    const { path } = pyTar('PAX');
    const data = Buffer.from(readFileSync(path));
    data[512 + 10] = data[512 + 10]! ^ 0xff; // inside the 'dir/small.txt' header name (block 1)
    const bad = join(dir, 'badsum.tar');
    writeFileSync(bad, data);
    await expect(seekList(bad)).rejects.toMatchObject({ kind: 'bad_header' });
    await expect(streamList(data)).rejects.toBeInstanceOf(TarError);
  });

  it('truncation anywhere (inside a header, a body, padding, after a PAX header) is detected', async () => {
    const { path } = pyTar('PAX');
    const data = readFileSync(path);
    for (const cut of [100, 512 + 100, 2 * 512 + 3, 2000, 5000, 40000]) {
      const t = join(dir, `cut-${cut}.tar`);
      writeFileSync(t, data.subarray(0, cut));
      await expect(seekList(t), `seek cut ${cut}`).rejects.toMatchObject({ kind: 'truncated' });
      await expect(streamList(data.subarray(0, cut)), `stream cut ${cut}`).rejects.toMatchObject({ kind: 'truncated' });
    }
  });
});

describe.runIf(haveShared())('seekable reads skip unwanted bodies', () => {
  it('scratch-busybox.docker.tar (uncompressed layer, 2 MB busybox): only headers are read', async () => {
    const path = img('scratch-busybox.docker.tar');
    const size = statSync(path).size;
    const { view, bytesRead } = await readImageFromPathDetailed(
      path,
      { requests: [wantPaths(['etc/os-release'])] },
      silentLogger,
    );
    expect(view.files.stat('busybox')?.size).toBeGreaterThan(1_000_000);
    expect(bytesRead).toBeLessThan(size / 5);
  });

  it('rpm-rocky9.docker.tar: the wanted rpmdb body is read, the rest skipped', async () => {
    const path = img('rpm-rocky9.docker.tar');
    const none = await readImageFromPathDetailed(path, { requests: [] }, silentLogger);
    const db = await readImageFromPathDetailed(
      path,
      { requests: [wantPaths(['var/lib/rpm/rpmdb.sqlite'])] },
      silentLogger,
    );
    const dbSize = db.view.files.stat('var/lib/rpm/rpmdb.sqlite')!.size;
    expect(db.bytesRead).toBeGreaterThanOrEqual(dbSize);
    expect(none.bytesRead).toBeLessThan(db.bytesRead);
  });
});
