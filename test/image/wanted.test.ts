/**
 * MergedView.wanted() (computed from the paths that ever got a body) against the plain answer: every file of
 * the merged view whose body was kept, found by walking all entries. On every shared image, with requests for
 * every file and for a few named ones, so that whiteouts, replaced folders, symlinks over files and hard
 * links are all crossed.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImageFromPath } from '../../src/image/read.js';
import type { FileRequest, ImageView } from '../../src/image/types.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { dockerArchiveFromDirs } from '../helpers/docker-archive.js';
import { haveShared, sharedPath } from '../helpers/shared.js';

function walkedWanted(v: ImageView): string[] {
  const out: string[] = [];
  for (const e of v.files.entries()) {
    if ((e.type === 'file' || e.type === 'hardlink') && v.files.read(e.path) !== undefined) out.push(e.path);
  }
  return out.sort();
}

const requestSets: [string, FileRequest[]][] = [
  ['every file up to 64 KiB', [{ match: () => true, maxSize: 64 * 1024 }]],
  [
    'package databases and release files',
    [
      {
        match: (p) => /(^|\/)(status|installed|os-release|[^/]*\.list|Packages\.db|rpmdb\.sqlite)$/.test(p),
        maxSize: 8 << 20,
      },
    ],
  ],
];

describe.skipIf(!haveShared())('wanted(): the files whose bodies were kept', () => {
  const images = haveShared()
    ? readdirSync(sharedPath('images'))
        .filter((f) => /\.tar(\.gz)?$/.test(f))
        .sort()
    : [];
  for (const name of images) {
    it(name, async () => {
      for (const [what, requests] of requestSets) {
        const v = await readImageFromPath(sharedPath('images', name), { requests }, new MemoryLogger());
        const plain = walkedWanted(v);
        expect(v.files.wanted(), `${name}, ${what}`).toEqual(plain);
        if (what.startsWith('every')) expect(plain.length, name).toBeGreaterThan(0);
      }
    });
  }
});

describe('wanted(): files kept in a lower layer and replaced above', () => {
  it('a wanted file replaced by a symlink, by a folder, or whited out is no longer wanted; one rewritten is', async () => {
    const work = mkdtempSync(join(tmpdir(), 'scanrook-wanted-'));
    try {
      const l1 = join(work, 'l1');
      const l2 = join(work, 'l2');
      mkdirSync(join(l1, 'etc'), { recursive: true });
      mkdirSync(join(l2, 'etc', 'b.conf'), { recursive: true });
      for (const f of ['a.conf', 'b.conf', 'c.conf', 'd.conf']) writeFileSync(join(l1, 'etc', f), `${f} in layer 1\n`);
      symlinkSync('d.conf', join(l2, 'etc', 'a.conf')); // a file becomes a symlink
      writeFileSync(join(l2, 'etc', 'b.conf', 'inner'), 'a folder now\n'); // a file becomes a folder
      writeFileSync(join(l2, 'etc', '.wh.c.conf'), ''); // whited out
      writeFileSync(join(l2, 'etc', 'd.conf'), 'd.conf in layer 2\n'); // rewritten
      const archive = dockerArchiveFromDirs(
        join(work, 'img.tar'),
        join(work, 'stage'),
        [
          { dir: l1, createdBy: 'COPY etc /etc' },
          { dir: l2, createdBy: 'COPY etc /etc' },
        ],
        'wanted/test:1',
      );
      const requests: FileRequest[] = [{ match: (p) => p.startsWith('etc/') && p.endsWith('.conf'), maxSize: 1024 }];
      const v = await readImageFromPath(archive, { requests }, new MemoryLogger());
      expect(v.files.wanted()).toEqual(['etc/d.conf']);
      expect(v.files.wanted()).toEqual(walkedWanted(v));
      expect(v.files.read('etc/a.conf')?.toString()).toBe('d.conf in layer 2\n'); // through the symlink
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
