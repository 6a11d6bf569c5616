/**
 * A dpkg status over 100 MiB (one padded Description), in two layers that both rewrite it (issue 16 item 14):
 * read completely through the seekable path (an archive file) and the streamed path (a docker save stream),
 * the right packages, each attributed to the layer that installed its final version; and through runScan,
 * `done` with no reason. Before the status was streamed it was not read at all (over the 64 MiB cap). And one
 * over the kept size reached through a symlink (the visitor sees only the file at the DB path): reported.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImageFromPath } from '../../../src/image/read.js';
import { readImageFromStream } from '../../../src/image/read-stream.js';
import type { ImageView } from '../../../src/image/types.js';
import { dpkgAnalyzer } from '../../../src/inventory/os/dpkg/analyzer.js';
import { STATUS_BODY_MAX } from '../../../src/inventory/os/dpkg/visitor.js';
import type { ScanOptions } from '../../../src/scan/ports.js';
import { runScan } from '../../../src/scan/run.js';
import { MemoryLogger } from '../../../src/util/logger.js';
import { dockerSave, tarMember, tarOf } from '../../fuzz/lib/hostile-archives.js';
import { header } from '../../fuzz/lib/tar-edit.js';
import { offlineScanDeps } from '../../helpers/scan-deps.js';
import { record, writeBigDockerSave } from './large-status.js';

const PAD = 100 * 1024 * 1024 + 17;
const OS_RELEASE = {
  path: 'etc/os-release',
  pieces: ['ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12"\n'],
};

describe('a dpkg status of over 100 MiB, rewritten by a second layer', () => {
  const work = mkdtempSync(join(tmpdir(), 'scanrook-dpkg-large-'));
  const image = join(work, 'big.docker.tar');
  beforeAll(() => {
    writeBigDockerSave(image, [
      [
        OS_RELEASE,
        {
          path: 'var/lib/dpkg/status',
          pieces: [
            record('a', '1.0'),
            '\n',
            record('b', '1.0', 'padded'),
            ' ',
            { pad: PAD },
            '\n\n',
            record('c', '1.0'),
          ],
        },
      ],
      [
        {
          path: 'var/lib/dpkg/status',
          pieces: [
            record('a', '1.0'),
            '\n',
            record('b', '2.0', 'padded'),
            ' ',
            { pad: PAD },
            '\n\n',
            record('c', '1.0'),
            '\n',
            record('d', '1.0'),
          ],
        },
      ],
    ]);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const expected = [
    ['a', '1.0', 0],
    ['b', '2.0', 1],
    ['c', '1.0', 0],
    ['d', '1.0', 1],
  ];

  async function analyze(
    read: (visitor: ReturnType<NonNullable<typeof dpkgAnalyzer.visit>['create']>) => Promise<ImageView>,
  ) {
    const visitor = dpkgAnalyzer.visit!.create('light');
    const view = await read(visitor);
    expect(view.problems).toEqual([]);
    return dpkgAnalyzer.analyze({
      files: view.files,
      layers: view.layers,
      os: null,
      mode: 'light',
      logger: new MemoryLogger(),
      visitor,
      layersOfBlob: (b) => view.layersOfBlob(b),
    });
  }

  it('seekable read: every package, attributed to its layer', async () => {
    const r = await analyze((visitor) =>
      readImageFromPath(image, { requests: dpkgAnalyzer.requests, visitors: [visitor] }, new MemoryLogger()),
    );
    expect(r.problems).toEqual([]);
    expect(r.packages.map((p) => [p.name, p.version, p.layer?.index])).toEqual(expected);
  }, 60_000);

  it('streamed read: the same', async () => {
    const r = await analyze((visitor) =>
      readImageFromStream(
        createReadStream(image),
        { requests: dpkgAnalyzer.requests, visitors: [visitor] },
        new MemoryLogger(),
        { input: image, kind: 'docker' },
      ),
    );
    expect(r.problems).toEqual([]);
    expect(r.packages.map((p) => [p.name, p.version, p.layer?.index])).toEqual(expected);
  }, 60_000);

  it('runScan: done, the four packages, no reason', async () => {
    const opts: ScanOptions = { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 0 };
    const report = await runScan({ kind: 'path', path: image }, opts, offlineScanDeps());
    expect(report.inventory_status).toBe('present');
    expect(report.reasons.filter((x) => x.stage === 'inventory')).toEqual([]);
    expect(report.packages.map((p) => [p.name, p.version, p.layer?.index])).toEqual(expected);
  }, 60_000);
});

describe('a dpkg status over the kept size reached through a file symlink', () => {
  const work = mkdtempSync(join(tmpdir(), 'scanrook-dpkg-link-'));
  const image = join(work, 'link.docker.tar');
  beforeAll(() => {
    const big = `${record('a', '1.0', `padded\n ${'x'.repeat(STATUS_BODY_MAX)}`)}\n${record('b', '1.0')}`;
    const layer = tarOf([
      tarMember('etc/os-release', 'ID=debian\nVERSION_ID="12"\n'),
      tarMember('var/lib/dpkg/status.real', big),
      Buffer.concat([header('var/lib/dpkg/status', { typeflag: '2', linkname: 'status.real' })]),
    ]);
    writeFileSync(image, dockerSave([layer]));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is reported (found, a problem naming why), never silence', async () => {
    const opts: ScanOptions = { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 0 };
    const report = await runScan({ kind: 'path', path: image }, opts, offlineScanDeps());
    expect(report.inventory_status).toBe('partial');
    const msg = report.reasons.find((r) => r.message.includes('os/dpkg'))?.message ?? '';
    expect(msg).toContain('it is reached through a link');
  }, 60_000);
});
