/** End of life of a detected release (table in eol-table.ts, each row sourced), and whether it has passed. */
import type { OsInfo } from '../../model/report.js';
import { EOL_ROWS, EOL_SOURCES, type EolFamily, type EolSource } from './eol-table.js';

const TABLE = new Map<string, string>(EOL_ROWS.map(([f, r, d]) => [`${f}/${r}`, d]));

type OsKey = Pick<OsInfo, 'id' | 'version_id'>;

/** The table row key for an OS: family and release, or null when the release has no row family. */
export function eolKey(os: OsKey | null | undefined): { family: EolFamily; release: string } | null {
  if (!os?.id || !os.version_id) return null;
  const id = os.id.toLowerCase();
  const v = os.version_id;
  const mm = /^(\d+)(?:\.(\d+))?/.exec(v);
  if (!mm) return null;
  const maj = String(Number(mm[1]));
  const minor = mm[2] !== undefined ? String(Number(mm[2])) : '0';
  switch (id) {
    case 'debian':
      return { family: 'debian', release: maj };
    case 'ubuntu': {
      const u = /^(\d\d\.\d\d)/.exec(v);
      return u ? { family: 'ubuntu', release: u[1]! } : null;
    }
    case 'alpine':
      return mm[2] !== undefined ? { family: 'alpine', release: `${maj}.${minor}` } : null;
    case 'rhel':
    case 'almalinux':
    case 'rocky':
      return { family: id, release: maj };
    case 'sles':
      return { family: 'sles', release: `${maj}.${minor}` };
    case 'opensuse':
    case 'opensuse-leap':
      return { family: 'opensuse', release: `${maj}.${minor}` };
    default:
      return null;
  }
}

/** End-of-life date (YYYY-MM-DD) from the sourced table, or null when unknown. */
export function eolOf(os: OsKey | null | undefined): string | null {
  const k = eolKey(os);
  return k ? (TABLE.get(`${k.family}/${k.release}`) ?? null) : null;
}

/** The source of the date eolOf returns for this OS. */
export function eolSourceOf(os: OsKey | null | undefined): EolSource | null {
  const k = eolKey(os);
  return k && TABLE.has(`${k.family}/${k.release}`) ? EOL_SOURCES[k.family] : null;
}

/**
 * True when the release is past its end of life on `now` (the EOL day itself still counts as supported).
 * Uses os.eol when set (detectOs fills it from the table, or from os-release SUPPORT_END), else the table.
 */
export function isEol(os: (OsKey & { eol?: string | null }) | null | undefined, now: Date): boolean {
  const date = os?.eol ?? eolOf(os);
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  return now.toISOString().slice(0, 10) > date;
}
