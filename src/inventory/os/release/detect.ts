/**
 * OS detection from the release files of an image's merged view.
 * Order: etc/os-release, then usr/lib/os-release (the spec's fallback). Missing ID / VERSION_ID are filled from
 * distribution-specific files that agree with the ID (alpine-release, debian_version, <name>-release). With no
 * os-release at all: lsb-release, alpine-release, the Red Hat family's "<Name> release <v>" files, debian_version
 * (last, because Ubuntu images carry one too, naming a Debian codename).
 */
import type { FileRequest, MergedView } from '../../../image/types.js';
import type { OsInfo } from '../../../model/report.js';
import { osvEcosystem } from '../ecosystem.js';
import { eolOf } from '../eol.js';
import { parseAssignments, parseReleaseLine } from './os-release.js';

const RH_FILES = [
  'etc/almalinux-release',
  'etc/rocky-release',
  'etc/centos-release',
  'etc/fedora-release',
  'etc/oracle-release',
  'etc/redhat-release',
  'etc/system-release',
];

export const OS_RELEASE_PATHS: readonly string[] = [
  'etc/os-release',
  'usr/lib/os-release',
  'etc/lsb-release',
  'etc/alpine-release',
  'etc/debian_version',
  ...RH_FILES,
];

const PATH_SET = new Set(OS_RELEASE_PATHS);

/** Release files are tiny; 64 KiB is far above any real one. */
export const OS_RELEASE_REQUESTS: FileRequest[] = [{ match: (p) => PATH_SET.has(p), maxSize: 64 * 1024 }];

type Partial = Omit<OsInfo, 'ecosystem' | 'eol'> & { supportEnd: string | null };

function text(files: MergedView, path: string): string | null {
  let body: Buffer | null | undefined;
  try {
    body = files.read(path);
  } catch {
    return null;
  }
  if (!body || body.length === 0) return null;
  return body.toString('utf8');
}

function empty(source: string): Partial {
  return {
    id: null,
    version_id: null,
    version_codename: null,
    name: null,
    pretty_name: null,
    id_like: [],
    source,
    supportEnd: null,
  };
}

const nz = (s: string | undefined): string | null => (s !== undefined && s.trim() !== '' ? s.trim() : null);

function fromOsRelease(body: string, source: string): Partial | null {
  const { values: v } = parseAssignments(body);
  if (Object.keys(v).length === 0) return null;
  const info = empty(source);
  info.id = nz(v.ID)?.toLowerCase() ?? null;
  info.version_id = nz(v.VERSION_ID);
  info.version_codename = nz(v.VERSION_CODENAME) ?? nz(v.UBUNTU_CODENAME);
  info.name = nz(v.NAME);
  info.pretty_name = nz(v.PRETTY_NAME);
  info.id_like = (v.ID_LIKE ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const se = nz(v.SUPPORT_END);
  info.supportEnd = se && /^\d{4}-\d{2}-\d{2}$/.test(se) ? se : null;
  return info;
}

function fromLsbRelease(body: string, source: string): Partial | null {
  const { values: v } = parseAssignments(body);
  const id = nz(v.DISTRIB_ID);
  if (!id) return null;
  const info = empty(source);
  info.id = id.toLowerCase();
  info.version_id = nz(v.DISTRIB_RELEASE);
  info.version_codename = nz(v.DISTRIB_CODENAME);
  info.name = id;
  info.pretty_name = nz(v.DISTRIB_DESCRIPTION);
  return info;
}

function fromAlpineRelease(body: string, source: string): Partial | null {
  const v = body.split('\n')[0]!.trim();
  if (!/^\d+\.\d+/.test(v)) return null;
  const info = empty(source);
  info.id = 'alpine';
  info.version_id = v;
  info.name = 'Alpine Linux';
  return info;
}

function fromDebianVersion(body: string, source: string): Partial | null {
  const v = body.split('\n')[0]!.trim();
  if (!v) return null;
  const info = empty(source);
  info.id = 'debian';
  if (/^\d+(\.\d+)*$/.test(v)) info.version_id = v;
  else if (/^[a-z]+(\/sid)?$/.test(v))
    info.version_codename = v.split('/')[0]!; // "trixie/sid", "sid"
  else return null;
  return info;
}

/** Maps the "<Name>" of a "<Name> release <v>" line to an os-release ID. "Red Hat Linux" (without
 *  "Enterprise") is the pre-2003 distribution, not RHEL, and gets its own id. */
function rhId(name: string): string | null {
  const n = name.toLowerCase();
  if (n.startsWith('red hat enterprise linux')) return 'rhel';
  if (n.startsWith('red hat linux')) return 'redhat';
  if (n.startsWith('centos')) return 'centos';
  if (n.startsWith('rocky linux')) return 'rocky';
  if (n.startsWith('almalinux')) return 'almalinux';
  if (n.startsWith('fedora')) return 'fedora';
  if (n.startsWith('oracle linux')) return 'ol';
  if (n.startsWith('amazon linux')) return 'amzn';
  return null;
}

function fromReleaseLine(body: string, source: string): Partial | null {
  const line = parseReleaseLine(body);
  if (!line) return null;
  const info = empty(source);
  info.id = rhId(line.name);
  if (!info.id) return null;
  info.version_id = line.version;
  info.name = line.name;
  info.pretty_name = body.split('\n')[0]!.trim();
  return info;
}

function fallbacks(files: MergedView): Partial[] {
  const out: Partial[] = [];
  const add = (path: string, f: (b: string, s: string) => Partial | null) => {
    const t = text(files, path);
    const r = t === null ? null : f(t, path);
    if (r) out.push(r);
  };
  add('etc/lsb-release', fromLsbRelease);
  add('etc/alpine-release', fromAlpineRelease);
  for (const p of RH_FILES) add(p, fromReleaseLine);
  add('etc/debian_version', fromDebianVersion);
  return out;
}

function finish(p: Partial): OsInfo {
  const { supportEnd, ...rest } = p;
  const base: OsInfo = { ...rest, ecosystem: null, eol: null };
  base.ecosystem = osvEcosystem(base).ecosystem;
  base.eol = eolOf(base) ?? supportEnd;
  return base;
}

/** Detects the OS; null when no release file names one. Never throws. */
export function detectOs(files: MergedView): OsInfo | null {
  let primary: Partial | null = null;
  for (const path of ['etc/os-release', 'usr/lib/os-release']) {
    const t = text(files, path);
    primary = t === null ? null : fromOsRelease(t, path);
    if (primary) break;
  }
  const others = fallbacks(files);
  if (!primary) return others.length ? finish(others[0]!) : null;
  if (!primary.id || !primary.version_id) {
    // Fill the gaps from a distribution file that agrees with the ID (or names one when os-release has none).
    const match = others.find((o) => (primary!.id ? o.id === primary!.id : true) && (o.version_id || !primary!.id));
    if (match) {
      const used: string[] = [];
      if (!primary.id && match.id) {
        primary.id = match.id;
        used.push(match.source);
      }
      if (!primary.version_id && match.version_id) {
        primary.version_id = match.version_id;
        if (!used.includes(match.source)) used.push(match.source);
      }
      if (!primary.version_codename && match.version_codename) primary.version_codename = match.version_codename;
      if (used.length) primary.source = [primary.source, ...used].join(', ');
    }
  }
  return finish(primary);
}
