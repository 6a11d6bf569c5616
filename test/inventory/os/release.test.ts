import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { osvEcosystem } from '../../../src/inventory/os/ecosystem.js';
import { detectOs, OS_RELEASE_REQUESTS } from '../../../src/inventory/os/release/detect.js';
import { parseAssignments, parseReleaseLine } from '../../../src/inventory/os/release/os-release.js';
import { haveShared, sharedPath } from '../../helpers/shared.js';
import { viewOf } from './release-view.js';

interface Row {
  /** Where the file is placed in the test image. */
  at: string;
  id: string | null;
  version_id: string | null;
  codename?: string | null;
  ecosystem: string | null;
  eol?: string | null;
  /** Why the value may surprise a reader. */
  note?: string;
}

// Expected values written out by reading each file of ../shared/data/pkgdb/os-release.
const TABLE: Record<string, Row> = {
  'osv-scanner/alpine-3.18': {
    at: 'etc/os-release',
    id: 'alpine',
    version_id: '3.18.1',
    ecosystem: 'Alpine:v3.18',
    eol: '2025-05-09',
    note: 'first line is a captured shell prompt "/ # cat /etc/os-release": not an assignment, ignored',
  },
  'osv-scanner/alpine-3.18-alpine-release': {
    at: 'etc/alpine-release',
    id: 'alpine',
    version_id: '3.18.1',
    ecosystem: 'Alpine:v3.18',
    eol: '2025-05-09',
  },
  'scalibr/ubuntu-22.04': {
    at: 'etc/os-release',
    id: 'ubuntu',
    version_id: '22.04',
    codename: 'jammy',
    ecosystem: 'Ubuntu:22.04:LTS',
    eol: '2027-06-01',
  },
  'trivy-other/almalinux-release': {
    at: 'etc/almalinux-release',
    id: 'almalinux',
    version_id: '8.4',
    ecosystem: 'AlmaLinux:8',
    eol: '2029-03-01',
    note: 'no final newline',
  },
  'trivy-other/centos-release': {
    at: 'etc/centos-release',
    id: 'centos',
    version_id: '7.6.1810',
    ecosystem: null,
    note: 'CentOS: no advisory data → unsupported',
  },
  'trivy-other/debian_version-9': {
    at: 'etc/debian_version',
    id: 'debian',
    version_id: '9.8',
    ecosystem: 'Debian:9',
    eol: '2022-06-30',
  },
  'trivy-other/lsb-release-ubuntu': {
    at: 'etc/lsb-release',
    id: 'ubuntu',
    version_id: '18.04',
    codename: 'bionic',
    ecosystem: 'Ubuntu:18.04:LTS',
    eol: '2023-05-31',
  },
  'trivy-other/redhat-release': {
    at: 'etc/redhat-release',
    id: 'redhat',
    version_id: '6.2',
    ecosystem: null,
    note: '"Red Hat Linux release 6.2 (Zoot)" is the 2000 Red Hat Linux, not RHEL 6: own id, unsupported',
  },
  'trivy-other/rocky-release': {
    at: 'etc/rocky-release',
    id: 'rocky',
    version_id: '8.4',
    ecosystem: 'Rocky Linux:8',
    eol: '2029-05-31',
  },
  'trivy/activestate': { at: 'etc/os-release', id: 'activestate', version_id: '1.0', ecosystem: null },
  'trivy/alma': {
    at: 'etc/os-release',
    id: 'almalinux',
    version_id: '9.4',
    ecosystem: 'AlmaLinux:9',
    eol: '2032-05-31',
    note: 'file says SUPPORT_END=2032-06-01; the sourced table (2032-05-31) wins',
  },
  'trivy/alpine': {
    at: 'etc/os-release',
    id: 'alpine',
    version_id: '3.15.4',
    ecosystem: 'Alpine:v3.15',
    eol: '2023-11-01',
  },
  'trivy/azurelinux-3.0': { at: 'etc/os-release', id: 'azurelinux', version_id: '3.0', ecosystem: null },
  'trivy/bottlerocket': { at: 'etc/os-release', id: 'bottlerocket', version_id: '1.34.0', ecosystem: null },
  'trivy/centos': { at: 'etc/os-release', id: 'centos', version_id: '7', ecosystem: null },
  'trivy/centos-stream': {
    at: 'etc/os-release',
    id: 'centos',
    version_id: '8',
    ecosystem: null,
    note: 'CentOS Stream keeps ID=centos',
  },
  'trivy/coreos': { at: 'etc/os-release', id: 'coreos', version_id: '3.15.4', ecosystem: null },
  'trivy/echo': { at: 'etc/os-release', id: 'echo', version_id: '1', ecosystem: null },
  'trivy/fedora': {
    at: 'etc/os-release',
    id: 'fedora',
    version_id: '42',
    codename: null,
    ecosystem: null,
    eol: '2026-05-13',
    note: 'VERSION_CODENAME="" → null; no table row, eol from the file\'s SUPPORT_END',
  },
  'trivy/mariner-1.0': { at: 'etc/os-release', id: 'mariner', version_id: '1.0', ecosystem: null },
  'trivy/mariner-2.0': { at: 'etc/os-release', id: 'mariner', version_id: '2.0', ecosystem: null },
  'trivy/minimos': { at: 'etc/os-release', id: 'minimos', version_id: '20241031', ecosystem: null },
  'trivy/no-id': {
    at: 'etc/os-release',
    id: null,
    version_id: '3.15.4',
    ecosystem: null,
    note: 'NAME says Alpine but there is no ID: not guessed',
  },
  'trivy/no-version': { at: 'etc/os-release', id: 'alpine', version_id: null, ecosystem: null },
  'trivy/opensuseleap-15.2.1': {
    at: 'etc/os-release',
    id: 'opensuse-leap',
    version_id: '15.2.1',
    ecosystem: 'openSUSE:Leap 15.2.1 Beta',
    eol: '2022-01-04',
    note: 'a beta: the OSV release is PRETTY_NAME-derived, so it carries "Beta"',
  },
  'trivy/opensuseleap-42.3': {
    at: 'etc/os-release',
    id: 'opensuse',
    version_id: '42.3',
    ecosystem: 'openSUSE:Leap 42.3',
    eol: '2019-07-01',
  },
  'trivy/opensusetumbleweed': {
    at: 'etc/os-release',
    id: 'opensuse-tumbleweed',
    version_id: '20220412',
    ecosystem: 'openSUSE:Tumbleweed',
    eol: null,
    note: 'the VERSION line is commented out (#)',
  },
  'trivy/oracle': { at: 'etc/os-release', id: 'ol', version_id: '8.10', ecosystem: null },
  'trivy/photon': { at: 'etc/os-release', id: 'photon', version_id: '4.0', ecosystem: null },
  'trivy/rhel': {
    at: 'etc/os-release',
    id: 'rhel',
    version_id: '9.4',
    ecosystem: 'Red Hat:enterprise_linux:9::baseos',
    eol: '2032-05-31',
  },
  'trivy/rocky': {
    at: 'etc/os-release',
    id: 'rocky',
    version_id: '9.3',
    ecosystem: 'Rocky Linux:9',
    eol: '2032-05-31',
  },
  'trivy/slemicro': {
    at: 'etc/os-release',
    id: 'sle-micro',
    version_id: '5.3',
    ecosystem: 'SUSE:Linux Enterprise Micro 5.3',
  },
  'trivy/slemicro-rancher': {
    at: 'etc/os-release',
    id: 'sle-micro-rancher',
    version_id: '5.4',
    ecosystem: 'SUSE:Linux Enterprise Micro for Rancher 5.4',
  },
  'trivy/slemicro6.0': { at: 'etc/os-release', id: 'sl-micro', version_id: '6.0', ecosystem: 'SUSE:Linux Micro 6.0' },
  'trivy/sles': {
    at: 'etc/os-release',
    id: 'sles',
    version_id: '15.3',
    ecosystem: 'SUSE:Linux Enterprise Server 15 SP3',
    eol: '2022-12-31',
  },
  'trivy/unknown': { at: 'etc/os-release', id: 'unknown', version_id: '4.3.2', ecosystem: null },
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

describe.runIf(haveShared())('detectOs over every file of pkgdb/os-release', () => {
  const root = sharedPath('data', 'pkgdb', 'os-release');
  it('the table covers every file', () => {
    const files = walk(root)
      .map((p) => relative(root, p))
      .sort();
    expect(files.length).toBe(36);
    expect(files).toEqual(Object.keys(TABLE).sort());
  });
  for (const [file, row] of Object.entries(TABLE)) {
    it(`${file}${row.note ? ` (${row.note})` : ''}`, () => {
      const os = detectOs(viewOf([row.at, readFileSync(join(root, file))]));
      expect(os).not.toBeNull();
      expect(os!.id).toBe(row.id);
      expect(os!.version_id).toBe(row.version_id);
      expect(os!.ecosystem).toBe(row.ecosystem);
      expect(os!.source).toBe(row.at);
      if (row.codename !== undefined) expect(os!.version_codename).toBe(row.codename);
      if (row.eol !== undefined) expect(os!.eol).toBe(row.eol);
      const eco = osvEcosystem(os);
      expect(eco.supported).toBe(row.ecosystem !== null);
      if (!eco.supported) expect(eco.reason).toMatch(/\w/);
    });
  }

  it('no-version os-release is completed by alpine-release; no-id by alpine-release too', () => {
    const alpineRelease = readFileSync(join(root, 'osv-scanner/alpine-3.18-alpine-release'));
    const a = detectOs(
      viewOf(['etc/os-release', readFileSync(join(root, 'trivy/no-version'))], ['etc/alpine-release', alpineRelease]),
    )!;
    expect([a.id, a.version_id, a.ecosystem, a.source]).toEqual([
      'alpine',
      '3.18.1',
      'Alpine:v3.18',
      'etc/os-release, etc/alpine-release',
    ]);
    const b = detectOs(
      viewOf(['etc/os-release', readFileSync(join(root, 'trivy/no-id'))], ['etc/alpine-release', alpineRelease]),
    )!;
    expect([b.id, b.version_id, b.ecosystem]).toEqual(['alpine', '3.15.4', 'Alpine:v3.15']);
  });

  it('os-release wins over lsb-release and debian_version; usr/lib/os-release is the fallback', () => {
    const ubuntu = readFileSync(join(root, 'scalibr/ubuntu-22.04'));
    const os = detectOs(
      viewOf(
        ['usr/lib/os-release', ubuntu],
        ['etc/lsb-release', readFileSync(join(root, 'trivy-other/lsb-release-ubuntu'))],
        ['etc/debian_version', 'bookworm/sid\n'],
      ),
    )!;
    expect([os.id, os.version_id, os.ecosystem, os.source]).toEqual([
      'ubuntu',
      '22.04',
      'Ubuntu:22.04:LTS',
      'usr/lib/os-release',
    ]);
    // lsb-release beats debian_version when there is no os-release (Ubuntu ships both).
    const os2 = detectOs(
      viewOf(
        ['etc/lsb-release', readFileSync(join(root, 'trivy-other/lsb-release-ubuntu'))],
        ['etc/debian_version', 'buster/sid\n'],
      ),
    )!;
    expect(os2.id).toBe('ubuntu');
  });

  it('real Debian 12 image files', () => {
    const etc = sharedPath('data', 'pkgdb', 'dpkg', 'debian12-bookworm-767', 'etc');
    const os = detectOs(
      viewOf(
        ['etc/os-release', readFileSync(join(etc, 'os-release'))],
        ['etc/debian_version', readFileSync(join(etc, 'debian_version'))],
      ),
    )!;
    expect(os).toEqual({
      id: 'debian',
      version_id: '12',
      version_codename: 'bookworm',
      name: 'Debian GNU/Linux',
      pretty_name: 'Debian GNU/Linux 12 (bookworm)',
      id_like: [],
      source: 'etc/os-release',
      ecosystem: 'Debian:12',
      eol: '2028-06-30',
    });
  });
});

describe('os-release syntax', () => {
  it('quoting, escapes, comments, blank and invalid lines, CRLF', () => {
    const { values, invalidLines } = parseAssignments(
      '# comment\r\nNAME="Foo \\"Bar\\" \\\\ \\$x \\`y\\`"\nID=foo\n\n  VERSION_ID=\'1.0 beta\'\nPRETTY_NAME=Foo\\ Linux # trailing\nnot a line\n=x\nEMPTY=\nX="unterminated\n',
    );
    expect(values).toEqual({
      NAME: 'Foo "Bar" \\ $x `y`',
      ID: 'foo',
      VERSION_ID: '1.0 beta',
      PRETTY_NAME: 'Foo Linux',
      EMPTY: '',
      X: 'unterminated',
    });
    expect(invalidLines).toEqual([7, 8]);
  });
  it('release lines', () => {
    expect(parseReleaseLine('Red Hat Enterprise Linux Server release 7.9 (Maipo)\n')).toEqual({
      name: 'Red Hat Enterprise Linux Server',
      version: '7.9',
      codename: 'Maipo',
    });
    expect(parseReleaseLine('garbage')).toBeNull();
  });
  it('empty, garbage and binary release files give null, never a crash', () => {
    expect(detectOs(viewOf())).toBeNull();
    expect(detectOs(viewOf(['etc/os-release', Buffer.from([0, 1, 2, 255, 10, 0])]))).toBeNull();
    expect(detectOs(viewOf(['etc/os-release', '']))).toBeNull();
    const rhel7 = detectOs(viewOf(['etc/redhat-release', 'Red Hat Enterprise Linux Server release 7.9 (Maipo)\n']))!;
    expect([rhel7.id, rhel7.ecosystem, rhel7.eol]).toEqual([
      'rhel',
      'Red Hat:enterprise_linux:7::baseos',
      '2024-06-30',
    ]);
  });
  it('requests exactly the release files, with a small cap', () => {
    const r = OS_RELEASE_REQUESTS[0]!;
    expect(r.maxSize).toBeLessThanOrEqual(64 * 1024);
    for (const p of [
      'etc/os-release',
      'usr/lib/os-release',
      'etc/alpine-release',
      'etc/debian_version',
      'etc/redhat-release',
      'etc/lsb-release',
      'etc/centos-release',
      'etc/fedora-release',
      'etc/system-release',
    ]) {
      expect(OS_RELEASE_REQUESTS.some((q) => q.match(p))).toBe(true);
    }
    expect(OS_RELEASE_REQUESTS.some((q) => q.match('etc/os-release.bak'))).toBe(false);
  });
});
