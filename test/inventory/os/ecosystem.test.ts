import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type OsIdentity, osvEcosystem, osvEcosystemStreams } from '../../../src/inventory/os/ecosystem.js';
import { eolOf, eolSourceOf, isEol } from '../../../src/inventory/os/eol.js';
import { EOL_ROWS } from '../../../src/inventory/os/eol-table.js';
import { REPO_ROOT } from '../../helpers/shared.js';

const os = (o: Partial<OsIdentity>): OsIdentity => ({
  id: null,
  version_id: null,
  version_codename: null,
  name: null,
  pretty_name: null,
  id_like: [],
  ...o,
});

describe('osvEcosystem', () => {
  it.each([
    [{ id: 'ubuntu', version_id: '23.10', pretty_name: 'Ubuntu 23.10' }, 'Ubuntu:23.10'],
    [{ id: 'ubuntu', version_id: '24.04', pretty_name: 'Ubuntu 24.04.1 LTS' }, 'Ubuntu:24.04:LTS'],
    [{ id: 'ubuntu', version_id: '20.04' }, 'Ubuntu:20.04:LTS'],
    [{ id: 'ubuntu', version_id: '21.04' }, 'Ubuntu:21.04'],
    [{ id: 'debian', version_id: '12' }, 'Debian:12'],
    [{ id: 'alpine', version_id: '3.19.0' }, 'Alpine:v3.19'],
    [{ id: 'wolfi', version_id: '20230201' }, 'Wolfi'],
    [{ id: 'chainguard' }, 'Chainguard'],
    [
      { id: 'sles', version_id: '15.5', pretty_name: 'SUSE Linux Enterprise Server 15 SP5' },
      'SUSE:Linux Enterprise Server 15 SP5',
    ],
    [{ id: 'opensuse-leap', version_id: '15.5', pretty_name: 'openSUSE Leap 15.5' }, 'openSUSE:Leap 15.5'],
  ])('%j → %s', (o, eco) => {
    expect(osvEcosystem(os(o))).toEqual({ ecosystem: eco, supported: true });
  });

  it.each([
    [null, /no operating system/],
    [{ name: 'Foo' }, /no ID/],
    [
      { id: 'debian', version_codename: 'trixie', pretty_name: 'Debian GNU/Linux trixie/sid' },
      /testing\/unstable \(trixie\)/,
    ],
    [{ id: 'alpine', version_id: '3.21_alpha20240807', pretty_name: 'Alpine Linux edge' }, /edge/],
    [{ id: 'amzn', version_id: '2023' }, /Amazon Linux/],
    [{ id: 'linuxmint', version_id: '21.3', id_like: ['ubuntu', 'debian'] }, /unrecognised.*ID_LIKE: ubuntu debian/],
    [{ id: 'sles', version_id: '15.5' }, /PRETTY_NAME/],
  ])('%j → unsupported %s', (o, reason) => {
    const r = osvEcosystem(o ? os(o) : null);
    expect(r.supported).toBe(false);
    expect(r.ecosystem).toBeNull();
    expect(r.reason).toMatch(reason);
  });

  it('RHEL streams', () => {
    expect(osvEcosystemStreams(os({ id: 'rhel', version_id: '8.10' }))).toEqual([
      'Red Hat:enterprise_linux:8::baseos',
      'Red Hat:enterprise_linux:8::appstream',
    ]);
  });
});

function csvRows(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(`${REPO_ROOT}/test/fixtures/inventory/os-release/${file}`, 'utf8')
    .trim()
    .split('\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
}

describe('EOL table', () => {
  it('Debian rows equal distro-info-data (eol-lts, else eol)', () => {
    const rows = EOL_ROWS.filter(([f]) => f === 'debian');
    expect(rows.length).toBe(10);
    for (const r of csvRows('debian.csv')) {
      const major = Number(r.version);
      if (!r.version || major < 4 || !r.eol) continue;
      expect(eolOf({ id: 'debian', version_id: String(major) })).toBe(r['eol-lts'] || r.eol);
    }
  });
  it('Ubuntu rows equal distro-info-data (eol = end of standard support)', () => {
    let n = 0;
    for (const r of csvRows('ubuntu.csv')) {
      const v = r.version!.split(' ')[0]!;
      if (Number(v) < 14.04) continue;
      expect(eolOf({ id: 'ubuntu', version_id: v })).toBe(r.eol);
      n++;
    }
    expect(n).toBe(EOL_ROWS.filter(([f]) => f === 'ubuntu').length);
  });
  it('every row is a valid date with a source', () => {
    for (const [f, rel, d] of EOL_ROWS) {
      expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(new Date(d + 'T00:00:00Z').toISOString().slice(0, 10)).toBe(d);
      const s = eolSourceOf({ id: f === 'opensuse' ? 'opensuse-leap' : f, version_id: rel });
      expect(s?.url).toMatch(/^https:\/\//);
      expect(s?.recorded).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
  it('isEol: the EOL day itself is still supported; unknown releases are never EOL', () => {
    const buster = { id: 'debian', version_id: '10' };
    expect(isEol(buster, new Date('2024-06-30T23:59:59Z'))).toBe(false);
    expect(isEol(buster, new Date('2024-07-01T00:00:00Z'))).toBe(true);
    expect(isEol({ id: 'alpine', version_id: '3.10.2' }, new Date('2026-01-01'))).toBe(true);
    expect(isEol({ id: 'wolfi', version_id: '20230201' }, new Date('2099-01-01'))).toBe(false);
    expect(isEol({ id: 'fedora', version_id: '42', eol: '2026-05-13' }, new Date('2026-05-14'))).toBe(true);
    expect(eolOf({ id: 'alpine', version_id: '3.99.0' })).toBeNull();
  });
});
