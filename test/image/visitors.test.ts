/**
 * The reader's visit hook (ReadOptions.visitors): every version of a matching regular file, in every layer, is
 * handed to its visitors as the layer is read, with the blob it came from; ImageView.layersOfBlob maps that to
 * layer numbers. The same through the seekable path (archive file), the streamed path (a docker save stream),
 * and a gzip layer; several visitors of one file each see the whole body; whatever a visitor leaves is skipped.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileVisitor, ImageView, VisitedFile } from '../../src/image/types.js';
import { dockerArchiveFromDirs } from '../helpers/docker-archive.js';
import { readPath, readStream, wantPaths } from './helpers.js';

interface Seen {
  path: string;
  blob: string;
  size: number;
  mode: number;
  body: string;
  head: string;
  random: boolean;
}

function recorder(match: (p: string) => boolean, how: 'all' | 'chunks' | 'head'): { v: FileVisitor; seen: Seen[] } {
  const seen: Seen[] = [];
  const v: FileVisitor = {
    match: (p) => match(p),
    visit: async (f: VisitedFile) => {
      const head = (await f.head(4)).toString('latin1');
      let body = '';
      if (how === 'all') body = (await f.readAll()).toString('latin1');
      else if (how === 'chunks') for await (const c of f.chunks()) body += c.toString('latin1');
      seen.push({ path: f.path, blob: f.blob, size: f.size, mode: f.mode, body, head, random: f.readAt !== null });
    },
  };
  return { v, seen };
}

let work: string;
let archive: string;
let gzArchive: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'scanrook-visit-'));
  const l1 = join(work, 'l1');
  const l2 = join(work, 'l2');
  mkdirSync(join(l1, 'app'), { recursive: true });
  mkdirSync(join(l2, 'app'), { recursive: true });
  writeFileSync(join(l1, 'app', 'secret.txt'), 'first version of the secret');
  writeFileSync(join(l1, 'app', 'other.bin'), Buffer.alloc(700_000, 7));
  writeFileSync(join(l2, 'app', 'secret.txt'), 'second');
  writeFileSync(join(l2, 'app', '.wh.other.bin'), '');
  archive = dockerArchiveFromDirs(
    join(work, 'image.tar'),
    join(work, 'stage'),
    [
      { dir: l1, createdBy: 'COPY l1 /' },
      { dir: l2, createdBy: 'COPY l2 /' },
    ],
    'visit:test',
  );
  // the same image with gzip layers (as the containerd store saves them): diff_ids stay those of the tars
  const stage = join(work, 'stage');
  const gzStage = join(work, 'gzstage');
  mkdirSync(gzStage, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(stage, 'manifest.json'), 'utf8')) as [
    { Config: string; RepoTags: string[]; Layers: string[] },
  ];
  const layers: string[] = [];
  for (const [i, l] of manifest[0].Layers.entries()) {
    const gz = gzipSync(readFileSync(join(stage, l)));
    const name = `${createHash('sha256').update(gz).digest('hex')}-${i}.tar.gz`;
    writeFileSync(join(gzStage, name), gz);
    layers.push(name);
  }
  writeFileSync(join(gzStage, manifest[0].Config), readFileSync(join(stage, manifest[0].Config)));
  writeFileSync(join(gzStage, 'manifest.json'), JSON.stringify([{ ...manifest[0], Layers: layers }]));
  gzArchive = join(work, 'image-gz.tar');
  execFileSync('tar', ['-cf', gzArchive, '-C', gzStage, '.']);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

function layersOf(view: ImageView, seen: Seen[], path: string): number[][] {
  return seen.filter((s) => s.path === path).map((s) => view.layersOfBlob(s.blob));
}

describe('visitors see every version of a matching file as the layers pass', () => {
  for (const [name, read] of [
    ['archive file (seekable)', (p: string, v: FileVisitor[]) => readPath(p, [], { visitors: v })],
    ['docker save stream', (p: string, v: FileVisitor[]) => readStream(p, [], { visitors: v })],
  ] as const) {
    for (const gz of [false, true]) {
      it(`${name}${gz ? ', gzip layers' : ''}`, async () => {
        const all = recorder((p) => p.startsWith('app/'), 'all');
        const chunked = recorder((p) => p === 'app/secret.txt' || p === 'app/other.bin', 'chunks');
        const heads = recorder((p) => p === 'app/other.bin', 'head');
        const { view } = await read(gz ? gzArchive : archive, [all.v, chunked.v, heads.v]);
        // both versions of the secret, also the one the upper layer replaced; the whited-out file too
        const secrets = all.seen.filter((s) => s.path === 'app/secret.txt').map((s) => s.body);
        expect(secrets.sort()).toEqual(['first version of the secret', 'second']);
        expect(layersOf(view, all.seen, 'app/secret.txt').sort()).toEqual([[0], [1]]);
        const other = all.seen.find((s) => s.path === 'app/other.bin')!;
        expect(other.size).toBe(700_000);
        expect(other.body).toBe(Buffer.alloc(700_000, 7).toString('latin1'));
        expect(other.head).toBe('\x07\x07\x07\x07');
        expect(other.mode & 0o777).toBeGreaterThan(0);
        // the chunked reader got the same bytes; the head-only visitor left the body (skipped, read goes on)
        expect(chunked.seen.find((s) => s.path === 'app/other.bin')!.body).toBe(other.body);
        expect(heads.seen).toHaveLength(1);
        expect(heads.seen[0]!.head).toBe('\x07\x07\x07\x07');
        // random access only where the layer lies uncompressed in a file, and only with one visitor
        expect(all.seen.find((s) => s.path === 'app/secret.txt' && s.body === 'second')!.random).toBe(true);
        // the whited-out file is not in the final view, but was visited; nothing was kept for the visitors
        expect(view.files.stat('app/other.bin')).toBeUndefined();
        expect(view.files.wanted()).toEqual([]);
        expect(view.layersOfBlob('not-a-layer')).toEqual([]);
      });
    }
  }

  it('a file both requested and visited is kept and visited (seekable and streamed)', async () => {
    for (const read of [readPath, readStream]) {
      const all = recorder((p) => p === 'app/secret.txt', 'all');
      const { view } = await read(archive, [wantPaths(['app/secret.txt'])], { visitors: [all.v] });
      expect(view.files.read('app/secret.txt')?.toString()).toBe('second');
      expect(all.seen.map((s) => s.body).sort()).toEqual(['first version of the secret', 'second']);
    }
  });

  it('a single visitor on a seekable layer reads at any offset', async () => {
    const got: string[] = [];
    const v: FileVisitor = {
      match: (p) => p === 'app/secret.txt',
      visit: async (f) => {
        got.push((await f.readAt!(6, 7)).toString());
        got.push((await f.readAt!(f.size - 2, 100)).toString());
      },
    };
    await readPath(archive, [], { visitors: [v] });
    expect(got.sort()).toEqual(['', 'et', 'nd', 'version']);
  });
});
