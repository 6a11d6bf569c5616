/**
 * The CLI's packages[] for every shared image equals what the package manager itself lists from the same
 * image: the DB files are extracted by an independent reader (python tarfile, test/image/oracle.py) and
 * given to dpkg-query, rpm and awk. Trivy's opinion is compared in bench/, not here.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScan } from '../../src/scan/run.js';
import { MemoryLogger } from '../../src/util/logger.js';
import { haveOracle } from '../helpers/oracles.js';
import { extractWanted, groundTruth } from '../helpers/pkg-oracles.js';
import { offlineScanDeps } from '../helpers/scan-deps.js';
import { haveShared, sharedPath } from '../helpers/shared.js';

const DBS = [
  'var/lib/dpkg/status',
  'var/lib/dpkg/status.d/',
  'lib/apk/db/installed',
  'var/lib/rpm/rpmdb.sqlite',
  'usr/lib/sysimage/rpm/rpmdb.sqlite',
];

describe.runIf(haveShared())('packages[] equals the package manager on every shared image', () => {
  const images = [
    'debian-bookworm.oci.tar',
    'distroless-base.oci.tar',
    'lang.oci.tar',
    'alpine-3.10.docker.tar.gz',
    'alpine-3.11.docker.tar.gz',
    'rpm-rocky9.docker.tar',
    'rpm-fedora38.docker-oci.tar',
    'bad/small.docker.tar',
    'bad/small.oci.tar',
    'bad/oci-zstd-layer.tar',
  ];
  for (const image of images) {
    const rpm = image.startsWith('rpm-');
    it.runIf(!rpm || haveOracle('rpm'))(image, async () => {
      const archive = sharedPath('images', image);
      const root = extractWanted(archive, DBS);
      try {
        const truth = groundTruth(root);
        expect(truth.length, 'the oracle found packages').toBeGreaterThan(0);
        const report = await runScan(
          { kind: 'path', path: archive },
          { mode: 'light', platform: 'linux/amd64', maxImageSize: 0, maxPackages: 0, timeout: 0 },
          offlineScanDeps(new MemoryLogger()),
        );
        const os = report.packages.filter((p) => p.type === 'deb' || p.type === 'apk' || p.type === 'rpm');
        const ours = os
          .map((p) => [p.name, p.version, p.arch ?? '', p.source_name, p.source_version].join('\t'))
          .sort();
        expect(ours).toEqual(truth);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    });
  }
});
