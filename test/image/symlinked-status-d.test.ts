/**
 * Issue 16 item 8, the distroless shape: `var/lib/dpkg/status.d/` (one file per package) behind a folder symlink
 * (`var/lib/dpkg -> /usr/lib/dpkg-db`, and `status.d` itself a link). The reader reads the linked files in its
 * second pass; the dpkg analyzer must look for them under the folder's real path too, and names them by the
 * usual path. Before, the image scanned as `no_packages_detected` (or a clean `done` beside any other package).
 * Generated here; the package record is a real status.d file (test/fixtures/inventory/dpkg/status.d/apt).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScanOptions } from '../../src/scan/ports.js';
import { runScan } from '../../src/scan/run.js';
import { dockerSave, tarMember, tarOf } from '../fuzz/lib/hostile-archives.js';
import { offlineScanDeps } from '../helpers/scan-deps.js';
import { linkMember } from './link-member.js';

const work = mkdtempSync(join(tmpdir(), 'scanrook-symstatusd-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'inventory', 'dpkg', 'status.d');
const OPTS: ScanOptions = { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 60 };
const OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n';

function image(name: string, where: string, links: Buffer[]): string {
  const single = readFileSync(join(FIXTURES, 'apt'), 'utf8');
  const base = tarOf([
    tarMember('etc/os-release', OS_RELEASE),
    tarMember(`${where}/`, '', '5'),
    tarMember(`${where}/apt`, single),
    tarMember('var/lib/', '', '5'),
  ]);
  const p = join(work, name);
  writeFileSync(p, dockerSave([base, tarOf(links)]));
  return p;
}

describe('distroless status.d behind a symlink', () => {
  for (const [what, file] of [
    [
      'var/lib/dpkg a link to a folder holding status.d',
      () => image('dpkg-link.tar', 'usr/lib/dpkg-db/status.d', [linkMember('var/lib/dpkg', '/usr/lib/dpkg-db')]),
    ],
    [
      'status.d itself a link',
      () =>
        image('status-d-link.tar', 'opt/pkgs', [
          tarMember('var/lib/dpkg/', '', '5'),
          linkMember('var/lib/dpkg/status.d', '../../../opt/pkgs'),
        ]),
    ],
  ] as const) {
    it(`${what}: the package is found, named by the usual path, inventory present`, async () => {
      const report = await runScan({ kind: 'path', path: file() }, OPTS, offlineScanDeps());
      const deb = report.packages.filter((p) => p.type === 'deb');
      expect(deb.map((p) => `${p.name} ${p.version}`)).toEqual(['apt 1.8.2']);
      expect(report.inventory_status).toBe('present');
      expect(report.reasons.map((r) => r.code)).not.toContain('no_packages_detected');
    });
  }
});
