/**
 * Issue 16 item 8 (reader): a package DB behind a symlink (`var/lib/dpkg` a link to a folder, `status` a link
 * to a file, chains of both) is read in a second pass over its layer on seekable inputs (plain and gzip layers);
 * a single-pass stream cannot go back, and says so naming the path. Generated archives, small.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerSave, tarMember, tarOf } from '../fuzz/lib/hostile-archives.js';
import { readPath, readStream, wantPaths } from './helpers.js';
import { linkMember } from './link-member.js';

const work = mkdtempSync(join(tmpdir(), 'scanrook-symdb-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const STATUS = 'var/lib/dpkg/status';
const BODY = 'Package: hello\nStatus: install ok installed\nVersion: 1.0\n\n';
const want = () => [wantPaths([STATUS], 1 << 20)];

function write(name: string, layers: Buffer[]): string {
  const p = join(work, name);
  writeFileSync(p, dockerSave(layers));
  return p;
}

const shapes: [string, Buffer[]][] = [
  [
    'a folder symlink (var/lib/dpkg -> /opt/dpkgdb)',
    [
      tarOf([tarMember('opt/dpkgdb/', '', '5'), tarMember('opt/dpkgdb/status', BODY), tarMember('var/lib/', '', '5')]),
      tarOf([Buffer.concat([linkMember('var/lib/dpkg', '/opt/dpkgdb')])]),
    ],
  ],
  [
    'a file symlink (status -> ../../../srv/status, the file in a lower layer)',
    [tarOf([tarMember('srv/status', BODY)]), tarOf([linkMember(STATUS, '../../../srv/status')])],
  ],
  [
    'a chain (var/lib -> /data, data/dpkg -> /x)',
    [tarOf([tarMember('x/status', BODY), linkMember('data/dpkg', '/x'), linkMember('var/lib', '/data')])],
  ],
];

describe('a package DB behind a symlink', () => {
  for (const [what, layers] of shapes) {
    it(`${what}: read in a second pass from a file (plain and gzip layers)`, async () => {
      for (const [name, ls] of [
        ['plain', layers],
        ['gzip', layers.map((l) => gzipSync(l))],
      ] as const) {
        const { view } = await readPath(write(`${name}.tar`, [...ls]), want());
        expect(view.problems).toEqual([]);
        expect(view.files.read(STATUS)?.toString()).toBe(BODY);
        expect(view.files.versions(STATUS)).toHaveLength(1);
        expect(view.files.versions(STATUS)[0]!.body?.toString()).toBe(BODY);
      }
    });

    it(`${what}: a stream cannot go back, and says so naming the path`, async () => {
      const { view } = await readStream(write('stream.tar', layers), want());
      expect(view.files.read(STATUS)).toBeUndefined();
      expect(view.files.stat(STATUS)?.type).toBe('file');
      expect(view.problems).toEqual([
        {
          code: 'archive_corrupt',
          layer: null,
          message: expect.stringMatching(
            /^\/var\/lib\/dpkg\/status leads through symlinks to \/\S+, which a single-pass read \(a stream\) cannot go back for: it was not read$/,
          ),
        },
      ]);
    });
  }

  it('a file the request wants at its real path is not read twice, a symlink to an unwanted file is not read', async () => {
    const layers = [
      tarOf([
        tarMember(STATUS, BODY),
        tarMember('etc/other', 'x'),
        linkMember('var/lib/alias-status', '/var/lib/dpkg/status'),
        linkMember('etc/link', '/etc/other'),
      ]),
    ];
    const { view, logger } = await readPath(write('direct.tar', layers), want());
    expect(view.problems).toEqual([]);
    expect(view.files.versions(STATUS)).toHaveLength(1);
    expect(view.files.read('etc/link')).toBeUndefined();
    expect(logger.lines.map((l) => l.message).join('\n')).not.toContain('second pass');
  });
});

describe('the second pass is bounded', () => {
  it('links to the root among folders (a walk through them would never end) stop at the probe cap, quickly', async () => {
    const members = [];
    for (let i = 0; i < 30; i++) members.push(tarMember(`d${i}/`, '', '5'));
    for (let i = 0; i < 8; i++) members.push(linkMember(`up${i}`, '/'));
    const t0 = performance.now();
    const { view, logger } = await readPath(write('loops.tar', [tarOf(members)]), want());
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(view.problems).toEqual([]);
    expect(logger.lines.map((l) => l.message).join('\n')).toContain('not all were tried');
  }, 10_000);
});
