/**
 * The package managers' own view of an extracted root (ground truth for the inventory): dpkg-query, rpm and
 * an awk reading of apk's database. Rows are "name\tversion\tarch\tsource\tsourceVersion", sorted.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dpkg-query over an admindir; keeps what dpkg lists as installed (status letter i, W or t). */
export function dpkgQueryAdmindir(admindir: string): string[] {
  const out = execFileSync(
    'dpkg-query',
    [
      '--admindir=' + admindir,
      '-W',
      '-f=${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\t${db:Status-Abbrev}\n',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 },
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'))
    .filter((c) => 'iWt'.includes(c[5]![1]!))
    .map((c) => c.slice(0, 5).join('\t'))
    .sort();
}

/**
 * A distroless status.d folder as dpkg would see it: the files (not *.md5sums) concatenated into one status
 * file, records without a Status given the one the convention implies.
 */
export function dpkgQueryStatusD(dir: string): string[] {
  const texts = readdirSync(dir)
    .filter((f) => !f.endsWith('.md5sums'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
  const records = texts
    .join('\n\n')
    .split(/\n[ \t]*\n/)
    .map((r) => r.replace(/^\n+|\n+$/g, ''))
    .filter(Boolean)
    .map((r) => (/^Status:/m.test(r) ? r : r.replace(/^(Package:.*)$/m, '$1\nStatus: install ok installed')));
  const admin = mkdtempSync(join(tmpdir(), 'scanrook-statusd-'));
  mkdirSync(join(admin, 'updates'));
  mkdirSync(join(admin, 'info'));
  writeFileSync(join(admin, 'status'), records.join('\n\n') + '\n');
  return dpkgQueryAdmindir(admin);
}

/** rpm -qa over a database folder (sqlite here); the source name/version come from SOURCERPM. */
export function rpmQuery(dbpath: string): string[] {
  const out = execFileSync(
    'rpm',
    ['--dbpath', dbpath, '-qa', '--qf', '%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n'],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [name, epoch, version, release, arch, srpm] = l.split('\t') as [
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      const e = epoch === '(none)' || epoch === '0' ? '' : `${epoch}:`;
      const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(srpm);
      const src = m ? [m[1], `${e}${m[2]}-${m[3]}`] : [name, `${e}${version}-${release}`];
      return [name, `${e}${version}-${release}`, arch, ...src].join('\t');
    })
    .filter((row) => !row.startsWith('gpg-pubkey\t'))
    .sort();
}

const APK_AWK = `BEGIN { RS = ""; FS = "\\n" }
{ p = ""; v = ""; a = ""; o = ""
  for (i = 1; i <= NF; i++) {
    k = substr($i, 1, 2); val = substr($i, 3)
    if (k == "P:" && p == "") p = val
    else if (k == "V:" && v == "") v = val
    else if (k == "A:" && a == "") a = val
    else if (k == "o:" && o == "") o = val
  }
  if (p != "" && v != "") print p "\\t" v "\\t" a "\\t" (o == "" ? p : o) "\\t" v
}`;

/** apk has no query tool here: awk in paragraph mode over lib/apk/db/installed (P, V, A, o). */
export function apkAwk(installed: string): string[] {
  return execFileSync('awk', [APK_AWK, installed], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
}

const ORACLE_PY = fileURLToPath(new URL('../image/oracle.py', import.meta.url));

/**
 * Extracts the final (merged) bodies of the wanted paths of an image archive into a new folder, with the
 * independent python image oracle (test/image/oracle.py). A wanted path ending in '/' takes a whole folder.
 */
export function extractWanted(archive: string, wanted: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'scanrook-extract-'));
  execFileSync('python3', [ORACLE_PY, archive, ...wanted], {
    env: { ...process.env, ORACLE_DUMP_DIR: dir },
    maxBuffer: 256 << 20,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return dir;
}

/** The package managers' rows for an extracted root (dpkg status or status.d, apk, rpm sqlite). */
export function groundTruth(root: string): string[] {
  const rows: string[] = [];
  if (existsSync(join(root, 'var/lib/dpkg/status'))) {
    mkdirSync(join(root, 'var/lib/dpkg/updates'), { recursive: true });
    mkdirSync(join(root, 'var/lib/dpkg/info'), { recursive: true });
    rows.push(...dpkgQueryAdmindir(join(root, 'var/lib/dpkg')));
  } else if (existsSync(join(root, 'var/lib/dpkg/status.d'))) {
    rows.push(...dpkgQueryStatusD(join(root, 'var/lib/dpkg/status.d')));
  }
  if (existsSync(join(root, 'lib/apk/db/installed'))) rows.push(...apkAwk(join(root, 'lib/apk/db/installed')));
  for (const d of ['var/lib/rpm', 'usr/lib/sysimage/rpm']) {
    if (existsSync(join(root, d, 'rpmdb.sqlite'))) {
      rows.push(...rpmQuery(join(root, d)));
      break;
    }
  }
  return rows.sort();
}
