/**
 * Issue 16 item 8 (the scan): a Debian image whose dpkg DB sits behind a folder symlink (`var/lib/dpkg ->
 * /opt/dpkg`) and a status file symlink, with one npm package beside it. Read from a file, all 768 packages are
 * found; read as a stream (which cannot go back for a file reached through a symlink) the inventory is
 * `partial` with a reason naming the path, never a clean `done` with 1 package. Generated here.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readImageFromStream } from '../../src/image/read-stream.js';
import type { ScanOptions } from '../../src/scan/ports.js';
import { runScan } from '../../src/scan/run.js';
import { dockerSave, tarMember, tarOf } from '../fuzz/lib/hostile-archives.js';
import { offlineScanDeps } from '../helpers/scan-deps.js';
import { linkMember } from './link-member.js';

const N = 768;
const work = mkdtempSync(join(tmpdir(), 'scanrook-symdb-scan-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function status(): string {
  const out: string[] = [];
  for (let i = 0; i < N; i++) {
    out.push(
      `Package: pkg${i}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.${i}-1\nMaintainer: x\nDescription: generated\n`,
    );
  }
  return out.join('\n');
}

const OPTS: ScanOptions = { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 60 };

function image(): string {
  const osRelease =
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n';
  const base = tarOf([
    tarMember('etc/os-release', osRelease),
    tarMember('opt/dpkg/', '', '5'),
    tarMember('opt/dpkg/db/status', status()),
    tarMember('var/lib/', '', '5'),
    tarMember('usr/lib/node_modules/left-pad/package.json', '{"name":"left-pad","version":"1.3.0"}'),
  ]);
  // the folder link, and inside it the status as a file link
  const links = tarOf([linkMember('var/lib/dpkg', '/opt/dpkg'), linkMember('opt/dpkg/status', 'db/status')]);
  const p = join(work, 'symlinked-dpkg.docker.tar');
  writeFileSync(p, dockerSave([base, links]));
  return p;
}

describe('a dpkg DB behind symlinks, in a scan', () => {
  const file = image();

  it('from a file: all 768 packages, inventory present', async () => {
    const report = await runScan({ kind: 'path', path: file }, OPTS, offlineScanDeps());
    expect(report.packages.filter((p) => p.type === 'deb')).toHaveLength(N);
    expect(report.inventory_status).toBe('present');
    expect(report.reasons.map((r) => r.code)).not.toContain('archive_corrupt');
  });

  it('as a stream: inventory partial with a reason naming the path, never a clean done', async () => {
    const deps = offlineScanDeps(undefined, {
      readPath: (p, o, l) => readImageFromStream(createReadStream(p), o, l, { input: p, kind: 'docker' }),
    });
    const report = await runScan({ kind: 'path', path: file }, OPTS, deps);
    expect(report.scan_status).toBe('partial_failed');
    expect(report.inventory_status).toBe('partial');
    expect(report.inventory_reason).toBe('os_package_database_partially_read');
    const msgs = report.reasons.filter((r) => r.code === 'archive_corrupt').map((r) => `${r.stage}: ${r.message}`);
    expect(msgs).toEqual([
      expect.stringMatching(/^image: \/var\/lib\/dpkg\/status leads through symlinks to \/opt\/dpkg\/db\/status, /),
      expect.stringMatching(
        /^inventory: \/var\/lib\/dpkg\/status is in the image \(at \/opt\/dpkg\/db\/status\) but its content was not read/,
      ),
    ]);
  });
});
