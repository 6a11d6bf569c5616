/**
 * From a parsed rpm header to a report Package. Conventions (documented in README.md beside this file):
 *
 * - version: `version-release`, prefixed by `epoch:` when the EPOCH tag is present and not 0. rpm compares a
 *   missing epoch as 0, so `0:` would add nothing; `metadata.epoch` keeps the tag exactly (number, or null
 *   when absent), so nothing is lost.
 * - source_name / source_version from SOURCERPM `name-version-release.src.rpm` (or `.nosrc.rpm`). The SRPM
 *   file name carries no epoch; the source version takes the binary package's epoch (subpackages share the
 *   spec's epoch in practice; Trivy and Syft do the same). Without a parsable SOURCERPM, source = the binary.
 * - purl: `pkg:rpm/<namespace>/<name>@<version>-<release>?arch=…&distro=<os id>-<version id>&epoch=N`, epoch
 *   qualifier under the same rule as the version prefix; namespace from the os-release ID (see rpmNamespace).
 */
import type { OsInfo, Package } from '../../../model/report.js';
import { purl } from '../../purl.js';
import type { RpmHeaderInfo } from './header.js';

export const RPM_FOUND_BY = 'os/rpm';

/** purl namespace for an os-release ID: the vendor, as the purl spec's rpm examples and other scanners use. */
export function rpmNamespace(osId: string | null | undefined): string | null {
  if (!osId) return null;
  const id = osId.toLowerCase();
  if (id === 'rhel') return 'redhat';
  if (id === 'ol') return 'oracle';
  if (id.startsWith('opensuse')) return 'opensuse';
  if (
    id === 'sles' ||
    id === 'sled' ||
    id.startsWith('sles_') ||
    id.startsWith('sle-') ||
    id.startsWith('sle_') ||
    id === 'suse'
  )
    return 'suse';
  return id;
}

export interface SourceRpm {
  name: string;
  version: string;
  release: string;
}

/** Splits `name-version-release.src.rpm`; null when the string does not have that shape. */
export function parseSourceRpm(s: string | null): SourceRpm | null {
  if (!s) return null;
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(s);
  if (!m) return null;
  return { name: m[1]!, version: m[2]!, release: m[3]! };
}

export function rpmEvr(epoch: number | null, version: string, release: string | null): string {
  const vr = release ? `${version}-${release}` : version;
  return epoch ? `${epoch}:${vr}` : vr;
}

/** True for rpm's gpg-pubkey pseudo-packages: imported signing keys, not software. */
export function isGpgPubkey(info: RpmHeaderInfo): boolean {
  return info.name === 'gpg-pubkey';
}

export function rpmPackage(
  info: RpmHeaderInfo & { name: string; version: string },
  location: string,
  os: OsInfo | null,
): Package {
  const version = rpmEvr(info.epoch, info.version, info.release);
  const src = parseSourceRpm(info.sourceRpm);
  const distro = os?.id ? (os.version_id ? `${os.id}-${os.version_id}` : os.id) : null;
  const pkg: Package = {
    name: info.name,
    version,
    type: 'rpm',
    source_name: src ? src.name : info.name,
    source_version: src ? rpmEvr(info.epoch, src.version, src.release) : version,
    purl: purl({
      type: 'rpm',
      namespace: rpmNamespace(os?.id),
      name: info.name,
      version: info.release ? `${info.version}-${info.release}` : info.version,
      qualifiers: { arch: info.arch, distro, epoch: info.epoch ? String(info.epoch) : null },
    }),
    location,
    layer: null,
    arch: info.arch,
    ecosystem: os?.ecosystem ?? null,
    found_by: RPM_FOUND_BY,
    metadata: {
      epoch: info.epoch,
      release: info.release,
      source_rpm: info.sourceRpm,
      vendor: info.vendor,
      license: info.license,
      modularity_label: info.modularityLabel,
    },
  };
  if (info.files) pkg.files = info.files;
  return pkg;
}
