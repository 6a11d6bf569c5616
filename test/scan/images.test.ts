/**
 * Every shared image, good and bad, through the whole scan job: a schema-valid report with the right
 * terminal status, reasons and event log. Runs the library directly (the CLI test runs the bundle).
 */
import { describe, expect, it } from 'vitest';
import type { ScanReport } from '../../src/model/report.js';
import type { ScanOptions } from '../../src/scan/ports.js';
import { runScan } from '../../src/scan/run.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { assertValidReport } from '../helpers/report-schema.js';
import { offlineScanDeps } from '../helpers/scan-deps.js';
import { haveShared, sharedPath } from '../helpers/shared.js';

/** As the action and the CLI scan with the default platform (nobody asked for one). */
const LIGHT: ScanOptions = {
  mode: 'light',
  platform: 'linux/amd64',
  platformAsked: false,
  maxImageSize: 0,
  maxPackages: 0,
  timeout: 0,
};

async function scan(rel: string, opts: Partial<ScanOptions> = {}): Promise<ScanReport> {
  const report = await runScan(
    { kind: 'path', path: rel.startsWith('/') ? rel : sharedPath('images', rel) },
    { ...LIGHT, ...opts },
    offlineScanDeps(new MemoryLogger()),
  );
  assertValidReport(report);
  return report;
}
const codes = (r: ScanReport) => r.reasons.map((x) => x.code).sort();

// These scans point the DB at a closed local port: every scan with something to match says so
// (vulndb_unavailable, partial_failed), never "0 vulnerabilities". Matching itself is tested with real data
// in test/scan/findings.test.ts.
const NO_DB = 'vulndb_unavailable';

describe.runIf(haveShared())('every shared image yields a schema-valid report with the right status', () => {
  const good: [string, { format: string; packages: number; os: string | null; extra?: string[]; noDb?: boolean }][] = [
    ['debian-bookworm.oci.tar', { format: 'oci-archive', packages: 105, os: 'Debian:12' }],
    ['distroless-base.oci.tar', { format: 'oci-archive', packages: 7, os: 'Debian:12' }],
    ['lang.oci.tar', { format: 'oci-archive', packages: 131 + 68, os: 'Debian:12' }], // dpkg + npm (Debian's python is the OS's)
    ['alpine-3.10.docker.tar.gz', { format: 'docker-archive', packages: 14, os: 'Alpine:v3.10', extra: ['os_eol'] }],
    ['alpine-3.11.docker.tar.gz', { format: 'docker-archive', packages: 14, os: 'Alpine:v3.11', extra: ['os_eol'] }],
    ['rpm-rocky9.docker.tar', { format: 'docker-archive', packages: 4, os: 'Rocky Linux:9' }],
    // no advisory data for Fedora: nothing to match, so no DB is needed and none is asked for
    [
      'rpm-fedora38.docker-oci.tar',
      { format: 'docker-oci-archive', packages: 2, os: null, extra: ['unsupported_os'], noDb: true },
    ],
    ['bad/small.docker.tar', { format: 'docker-archive', packages: 1, os: 'Debian:12' }],
    ['bad/small.docker-oci.tar', { format: 'docker-oci-archive', packages: 1, os: 'Debian:12' }],
    ['bad/small.oci.tar', { format: 'oci-archive', packages: 1, os: 'Debian:12' }],
    ['bad/small.docker.tar.gz', { format: 'docker-archive', packages: 1, os: 'Debian:12' }],
    ['bad/oci-zstd-layer.tar', { format: 'oci-archive', packages: 1, os: 'Debian:12' }],
  ];
  for (const [file, want] of good) {
    it(`${file}: ${want.packages} packages, inventory present`, async () => {
      const r = await scan(file);
      expect(r.target.format).toBe(want.format);
      expect(r.inventory_status).toBe('present');
      expect(r.packages).toHaveLength(want.packages);
      expect(r.os?.ecosystem ?? null).toBe(want.os);
      expect(codes(r)).toEqual([...(want.noDb ? [] : [NO_DB]), ...(want.extra ?? [])].sort());
      expect(r.scan_status).toBe('partial_failed');
      for (const p of r.packages) expect(p.layer, `${p.name} has a layer`).not.toBeNull();
      expect(r.events.map((e) => `${e.stage}:${e.status}`)).toEqual([
        'queued:finished',
        'input:finished',
        'image:started',
        'image:finished',
        'inventory:started',
        'inventory:finished',
        ...(want.noDb ? ['vulndb:skipped'] : ['vulndb:started', 'vulndb:failed']),
        'match:skipped',
      ]);
      expect(r.findings).toEqual([]);
      expect(r.vulndb).toBeNull();
    });
  }

  for (const file of [
    'hello-world.docker.tar',
    'scratch-busybox.docker.tar',
    'whiteout.docker.tar',
    'symlinks.tar',
    'bad/empty-layer.docker.tar',
    'bad/empty-zero-layers.docker.tar',
    'bad/empty-zero-layers.oci.tar',
  ]) {
    it(`${file}: nothing detected is partial_failed, never a clean done`, async () => {
      const r = await scan(file);
      expect(r.scan_status).toBe('partial_failed');
      expect(codes(r)).toEqual(['no_packages_detected']);
      expect(r.events.map((e) => `${e.stage}:${e.status}`).slice(-2)).toEqual(['vulndb:skipped', 'match:skipped']);
      expect(r.inventory_status).toBe('missing');
      expect(r.inventory_reason).toBe('no_os_package_database');
    });
  }

  it('scratch-go.docker.tar in light mode: the Go build info of its binary is an inventory (stdlib 1.19.8), no OS package DB', async () => {
    const r = await scan('scratch-go.docker.tar');
    expect(r.packages.map((p) => `${p.type} ${p.name} ${p.version}`)).toContain('golang stdlib 1.19.8');
    expect(r.inventory_status).toBe('missing');
    expect(codes(r)).not.toContain('no_packages_detected');
    // no DB in these offline deps: the packages are reported, matching is what is missing
    expect(codes(r)).toEqual(['vulndb_unavailable']);
  });

  it('deep mode on an image without an OS package DB: partial_failed, deep_mode_requires_installed_inventory', async () => {
    const r = await scan('scratch-busybox.docker.tar', { mode: 'deep' });
    expect(r.scan_status).toBe('partial_failed');
    expect(r.inventory_status).toBe('missing');
    expect(r.inventory_reason).toBe('deep_mode_requires_installed_inventory');
    expect(codes(r)).toContain('deep_mode_requires_installed_inventory');
  });

  it('a missing path ends failed with exactly two events', async () => {
    const r = await scan('/nonexistent/image.tar');
    expect(r.scan_status).toBe('failed');
    expect(r.events.map((e) => `${e.stage}:${e.status}`)).toEqual(['queued:finished', 'input:failed']);
    expect(codes(r)).toEqual(['file_not_found']);
    expect(r.reasons[0]!.message).toContain('/nonexistent/image.tar does not exist');
  });

  const bad: [string, string, number | null][] = [
    // [file, reason, events (null: not asserted)]
    ['bad/zero-bytes.tar', 'unsupported_media_type', 2],
    ['bad/not-a-tar.tar', 'unsupported_media_type', 2],
    ['bad/no-manifest.tar', 'unsupported_media_type', null],
    ['bad/manifest-bad-json.tar', 'archive_corrupt', null],
    ['bad/truncated-header.tar', 'archive_corrupt', null],
    ['bad/truncated-half.tar', 'archive_corrupt', null],
    // the only layer is garbage / cut short: nothing of the image could be read
    ['bad/layer-corrupt.tar', 'archive_corrupt', null],
    ['bad/layer-truncated.tar', 'archive_corrupt', null],
  ];
  for (const [file, code, events] of bad) {
    it(`${file}: failed with ${code} and a message a user understands`, async () => {
      const r = await scan(file);
      expect(r.scan_status).toBe('failed');
      expect(new Set(codes(r))).toEqual(new Set([code]));
      if (events !== null) expect(r.events).toHaveLength(events);
      for (const reason of r.reasons) {
        expect(reason.message).not.toMatch(/\n\s+at /); // no stack traces
        expect(reason.message.length).toBeLessThan(400);
      }
      expect(r.packages).toEqual([]);
      expect(r.findings).toEqual([]);
    });
  }

  it('max-image-size over the archive size: failed, image_size_exceeded', async () => {
    const r = await scan('debian-bookworm.oci.tar', { maxImageSize: 1_000_000 });
    expect(r.scan_status).toBe('failed');
    expect(codes(r)).toEqual(['image_size_exceeded']);
  });

  it('max-packages keeps the first N and says so', async () => {
    const r = await scan('debian-bookworm.oci.tar', { maxPackages: 10 });
    expect(r.packages).toHaveLength(10);
    expect(codes(r)).toContain('package_collection_limit_exceeded');
    expect(r.scan_status).toBe('partial_failed');
  });
});

describe.runIf(haveShared())('binaries are not images', () => {
  it('an ELF executable given as an image archive points at `scanrook bin`', async () => {
    const r = await runScan(
      { kind: 'path', path: sharedPath('data', 'pkgdb', 'go', 'trivy-binary', 'test.elf') },
      LIGHT,
      offlineScanDeps(new MemoryLogger()),
    );
    assertValidReport(r);
    expect(r.scan_status).toBe('failed');
    expect(r.events).toHaveLength(2);
    expect(r.reasons[0]).toMatchObject({ code: 'unsupported_media_type' });
    expect(r.reasons[0]!.message).toContain('scanrook bin');
  });
});
