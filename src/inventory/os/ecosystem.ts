/**
 * Which OSV ecosystem (with release) holds the advisories for a detected distribution.
 *
 * Ecosystem names follow the OSV schema's ecosystem list (ossf/osv-schema `ecosystems.json`, read at commit
 * 029ce99de3bc on 2026-11-21):
 *  - `Debian:<N>`: numeric release from Debian's distro-info-data (the major of VERSION_ID: 12.4 → 12).
 *  - `Ubuntu:<YY.MM>` with a mandatory `:LTS` suffix for LTS releases (`Ubuntu:22.04:LTS`, `Ubuntu:23.10`).
 *  - `Alpine:v<major>.<minor>` (the `v` is required).
 *  - `AlmaLinux:<major>`, `Rocky Linux:<major>`.
 *  - `Red Hat:<CPE without the cpe:/o:redhat: prefix>`, e.g. `Red Hat:enterprise_linux:9::baseos`. We return
 *    the BaseOS stream of the major release; packages from AppStream live under `...::appstream`, so a matcher
 *    should also look there (see osvEcosystemStreams).
 *  - `openSUSE:<PRETTY_NAME without the leading "openSUSE ">` (`openSUSE:Leap 15.5`, `openSUSE:Tumbleweed`) and
 *    `SUSE:<PRETTY_NAME without the leading "SUSE ">` (`SUSE:Linux Enterprise Server 15 SP5`): the schema says
 *    the release "matches the value in the /etc/os-release PRETTY_NAME field"; OSV's published SUSE records
 *    drop the vendor word, as the examples above show.
 *  - `Wolfi`, `Chainguard`: no release suffix.
 * Distributions for which ScanRook has no advisory data (Amazon Linux, Oracle Linux, CentOS, Fedora, Azure
 * Linux / CBL-Mariner, Photon OS, and anything unrecognised) map to `supported: false` with a reason, so the scan
 * raises `unsupported_os` instead of reporting a silent "no findings".
 *
 * Debian testing/unstable: their os-release has no VERSION_ID (only a codename, and PRETTY_NAME "…/sid").
 * OSV's Debian advisories are scoped to numbered releases, and matching a testing image against the advisories
 * of a release that does not exist yet would report "clean" without basis, so they are unsupported with a reason.
 */
import type { OsInfo } from '../../model/report.js';

export interface EcosystemResult {
  ecosystem: string | null;
  supported: boolean;
  reason?: string;
}

export type OsIdentity = Pick<OsInfo, 'id' | 'version_id' | 'version_codename' | 'name' | 'pretty_name' | 'id_like'>;

const NO_DATA: Record<string, string> = {
  amzn: 'Amazon Linux',
  ol: 'Oracle Linux',
  centos: 'CentOS',
  fedora: 'Fedora',
  azurelinux: 'Azure Linux',
  mariner: 'CBL-Mariner',
  photon: 'Photon OS',
};

function unsupported(reason: string): EcosystemResult {
  return { ecosystem: null, supported: false, reason };
}

function major(version: string | null): string | null {
  const m = /^(\d+)/.exec(version ?? '');
  return m ? String(Number(m[1])) : null;
}

function label(os: OsIdentity): string {
  return os.pretty_name || os.name || os.id || 'this distribution';
}

export function isUbuntuLts(os: OsIdentity): boolean {
  const text = `${os.pretty_name ?? ''} ${os.name ?? ''}`;
  if (/\bLTS\b/.test(text)) return true;
  // Without a label: LTS releases are the April releases of even years (YY.04, YY even).
  const m = /^(\d\d)\.(\d\d)$/.exec(os.version_id ?? '');
  return !!m && m[2] === '04' && Number(m[1]) % 2 === 0 && !/\S/.test(text);
}

export function osvEcosystem(os: OsIdentity | null | undefined): EcosystemResult {
  if (!os) return unsupported('no operating system was detected (no os-release or other release file)');
  const id = os.id?.toLowerCase() ?? null;
  if (!id) {
    return unsupported(`the os-release file of ${label(os)} has no ID field, so the distribution is not known`);
  }
  const v = os.version_id;
  switch (id) {
    case 'debian': {
      const m = major(v);
      if (!m) {
        const cn = os.version_codename ? ` (${os.version_codename})` : '';
        return unsupported(
          `Debian testing/unstable${cn} has no VERSION_ID; OSV Debian advisories are scoped to numbered releases`,
        );
      }
      return { ecosystem: `Debian:${m}`, supported: true };
    }
    case 'ubuntu': {
      const m = /^(\d\d\.\d\d)/.exec(v ?? '');
      if (!m) return unsupported(`Ubuntu without a YY.MM VERSION_ID (${v ?? 'none'}): the release is not known`);
      return { ecosystem: `Ubuntu:${m[1]}${isUbuntuLts(os) ? ':LTS' : ''}`, supported: true };
    }
    case 'alpine': {
      if (!v) return unsupported('Alpine without VERSION_ID or alpine-release: the release branch is not known');
      if (/edge/i.test(os.pretty_name ?? '') || /_(alpha|beta|rc|git)/i.test(v)) {
        return unsupported(`Alpine edge (${v}) is a development branch; OSV Alpine advisories cover release branches`);
      }
      const m = /^(\d+)\.(\d+)/.exec(v);
      if (!m) return unsupported(`Alpine version ${v} is not <major>.<minor>[.<patch>]`);
      return { ecosystem: `Alpine:v${Number(m[1])}.${Number(m[2])}`, supported: true };
    }
    case 'almalinux':
    case 'rocky':
    case 'rhel': {
      const m = major(v);
      const name = id === 'almalinux' ? 'AlmaLinux' : id === 'rocky' ? 'Rocky Linux' : 'Red Hat Enterprise Linux';
      if (!m) return unsupported(`${name} without VERSION_ID: the release is not known`);
      if (id === 'almalinux') return { ecosystem: `AlmaLinux:${m}`, supported: true };
      if (id === 'rocky') return { ecosystem: `Rocky Linux:${m}`, supported: true };
      return { ecosystem: `Red Hat:enterprise_linux:${m}::baseos`, supported: true };
    }
    case 'wolfi':
      return { ecosystem: 'Wolfi', supported: true };
    case 'chainguard':
      return { ecosystem: 'Chainguard', supported: true };
    case 'opensuse':
    case 'opensuse-leap':
    case 'opensuse-tumbleweed': {
      const pretty = os.pretty_name?.trim();
      if (!pretty) return unsupported('openSUSE without PRETTY_NAME: the OSV release name cannot be formed');
      return { ecosystem: `openSUSE:${pretty.replace(/^openSUSE\s+/i, '')}`, supported: true };
    }
    case 'sles':
    case 'sles_sap':
    case 'sled':
    case 'sle-micro':
    case 'sle-micro-rancher':
    case 'sl-micro': {
      const pretty = os.pretty_name?.trim();
      if (!pretty) return unsupported('SUSE without PRETTY_NAME: the OSV release name cannot be formed');
      return { ecosystem: `SUSE:${pretty.replace(/^SUSE\s+/i, '')}`, supported: true };
    }
    default: {
      const known = NO_DATA[id];
      if (known) {
        return unsupported(
          `no vulnerability data source for ${known} (${label(os)}) is supported; its packages are listed but not matched`,
        );
      }
      const like = os.id_like.length ? ` (ID_LIKE: ${os.id_like.join(' ')})` : '';
      return unsupported(`unrecognised distribution '${id}'${like}: no vulnerability data source is known for it`);
    }
  }
}

/** All OSV ecosystems whose advisories apply to the OS (RHEL: BaseOS and AppStream streams). */
export function osvEcosystemStreams(os: OsIdentity | null | undefined): string[] {
  const r = osvEcosystem(os);
  if (!r.ecosystem) return [];
  if (r.ecosystem.startsWith('Red Hat:') && r.ecosystem.endsWith('::baseos')) {
    return [r.ecosystem, r.ecosystem.replace(/::baseos$/, '::appstream')];
  }
  return [r.ecosystem];
}
