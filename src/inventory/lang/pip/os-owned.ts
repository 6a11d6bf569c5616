/**
 * Which Python distributions the OS package manager installed. Those are reported once, as the OS package
 * (dpkg/apk/rpm analyzers), and not again as PyPI packages: the distribution patches them (Debian's
 * python3-requests 2.28.1+dfsg-1 carries backported fixes PyPI's 2.28.1 lacks), their advisories are the
 * distribution's, and matching them against PyPI advisories would report fixed issues.
 *
 * Sources, in order:
 * - dpkg file lists `var/lib/dpkg/info/*.list` (seen by the dpkg visitor, not kept by the reader) and distroless `var/lib/dpkg/status.d/*.md5sums`;
 * - apk's `lib/apk/db/installed` (`P:` package, `F:` folder, `R:` file);
 * - conventions where no list is readable: `usr/lib/python{2,3}[.N]/dist-packages` is written only by
 *   Debian/Ubuntu packages (pip writes to `usr/local/lib/.../dist-packages`), and on an RPM-family OS
 *   `usr/lib{,64}/pythonX.Y/site-packages` is the RPMs' (pip run as root writes to `usr/local` since Fedora
 *   27 / RHEL 8). The rpmdb's file lists are not read here.
 */
import type { FileRequest, MergedView } from '../../../image/types.js';
import type { OsInfo } from '../../../model/report.js';

const DPKG_INFO = 'var/lib/dpkg/info/';
const DPKG_STATUS_D = 'var/lib/dpkg/status.d/';
const APK_INSTALLED = 'lib/apk/db/installed';

/** The dpkg lists (`info/*.list`) are not requested: the dpkg visitor (os/dpkg/visitor.ts) reads them as they
 * pass and keeps their metadata lines, handed to OsOwnership as `lists`. */
export const OS_OWNER_REQUESTS: FileRequest[] = [
  {
    match: (p) => p.startsWith(DPKG_STATUS_D) && p.endsWith('.md5sums') && !p.slice(DPKG_STATUS_D.length).includes('/'),
    maxSize: 8 * 1024 * 1024,
  },
  { match: (p) => p === APK_INSTALLED, maxSize: 64 * 1024 * 1024 },
];

const META_DIR = /\.(?:dist-info|egg-info|egg)$/;
const DEBIAN_DIST = /^usr\/lib\/python[23](?:\.\d+)?\/dist-packages\//;
const RPM_SITE = /^usr\/lib(?:64)?\/python\d(?:\.\d+)?\/site-packages\//;
const RPM_FAMILY = new Set([
  'rhel',
  'fedora',
  'centos',
  'rocky',
  'almalinux',
  'ol',
  'amzn',
  'suse',
  'sles',
  'opensuse',
  'opensuse-leap',
  'opensuse-tumbleweed',
  'mariner',
  'azurelinux',
  'photon',
]);

export class OsOwnership {
  /** Real path of a metadata folder / .egg-info file → `deb:<pkg>` / `apk:<pkg>`. */
  private readonly owners = new Map<string, string>();
  /** Paths given to add() so far. */
  private readonly added = new Set<string>();
  private readonly rpmFamily: boolean;

  /** `lists`: the final body (or only its metadata lines) of each dpkg .list the visitor saw, by path; the
   *  lists the view itself holds (a FileRequest's) are read too. */
  constructor(
    private readonly files: MergedView,
    os: OsInfo | null,
    lists: ReadonlyMap<string, Buffer> = new Map(),
  ) {
    this.rpmFamily = !!os && [os.id ?? '', ...os.id_like].some((id) => RPM_FAMILY.has(id));
    const paths = lists.size ? [...new Set([...files.wanted(), ...lists.keys()])].sort() : files.wanted();
    for (const path of paths) {
      if (path.startsWith(DPKG_INFO) && path.endsWith('.list')) {
        const pkg = path.slice(DPKG_INFO.length, -'.list'.length).replace(/:[^:]*$/, '');
        this.addLines(lists.get(path) ?? files.read(path), `deb:${pkg}`, false);
      } else if (path.startsWith(DPKG_STATUS_D) && path.endsWith('.md5sums')) {
        const pkg = path.slice(DPKG_STATUS_D.length, -'.md5sums'.length);
        this.addLines(files.read(path), `deb:${pkg}`, true);
      } else if (path === APK_INSTALLED) {
        this.addApk(files.read(path));
      }
    }
  }

  private add(path: string, owner: string): void {
    const p = path.replace(/^\/+/, '').replace(/\/+$/, '');
    if (!p) return;
    // Added before (a list names the folder, then each file in it): both keys are set already.
    if (this.added.has(p)) return;
    this.added.add(p);
    const real = this.files.resolve(p) ?? p;
    if (!this.owners.has(real)) this.owners.set(real, owner);
    if (!this.owners.has(p)) this.owners.set(p, owner);
  }

  private addLines(body: Buffer | null | undefined, owner: string, md5sums: boolean): void {
    if (!body) return;
    // Only lines naming '-info' or '.egg' count. Most lists name neither: they are skipped undecoded (an ASCII
    // substring is in the decoded text exactly when its bytes are in the body).
    if (body.indexOf('-info') < 0 && body.indexOf('.egg') < 0) return;
    const text = body.toString('utf8');
    // The lines holding either, in file order, found by searching for them (a package's list is mostly lines
    // of other files: numpy's names ~1,000 files and one metadata folder).
    let info = text.indexOf('-info');
    let egg = text.indexOf('.egg');
    let pos = 0;
    while (info >= 0 || egg >= 0) {
      const hit = info < 0 ? egg : egg < 0 ? info : Math.min(info, egg);
      const start = text.lastIndexOf('\n', hit) + 1;
      let end = text.indexOf('\n', hit);
      if (end < 0) end = text.length;
      pos = end + 1;
      if (info >= 0 && info < pos) info = text.indexOf('-info', pos);
      if (egg >= 0 && egg < pos) egg = text.indexOf('.egg', pos);
      let line = text.slice(start, end);
      line = line.replace(/\r$/, '');
      if (md5sums) line = line.replace(/^[0-9a-f]{32,}\s+/, '');
      // A list names the folder and the files in it; the metadata folder itself is what we key on.
      const m = /^(.*?\.(?:dist-info|egg-info|egg))(?:\/|$)/.exec(line);
      if (m) this.add(m[1]!, owner);
    }
  }

  private addApk(body: Buffer | null | undefined): void {
    if (!body) return;
    let pkg = '';
    let dir = '';
    for (const line of body.toString('utf8').split('\n')) {
      if (line.startsWith('P:')) pkg = line.slice(2).trim();
      else if (line.startsWith('F:')) {
        dir = line.slice(2).trim();
        const m = /^(.*?\.(?:dist-info|egg-info|egg))(?:\/|$)/.exec(dir);
        if (m && pkg) this.add(m[1]!, `apk:${pkg}`);
      } else if (line.startsWith('R:') && pkg && line.endsWith('.egg-info')) {
        this.add(`${dir}/${line.slice(2).trim()}`, `apk:${pkg}`);
      } else if (line === '') {
        pkg = '';
        dir = '';
      }
    }
  }

  /**
   * The OS package that installed the distribution whose metadata folder (or .egg-info file) is `metaPath`,
   * `os-convention` when only the location says so, or null for a Python-installed distribution.
   */
  ownerOf(metaPath: string): string | null {
    if (!META_DIR.test(metaPath)) return null;
    const real = this.files.resolve(metaPath) ?? metaPath;
    const owner = this.owners.get(real) ?? this.owners.get(metaPath);
    if (owner) return owner;
    if (DEBIAN_DIST.test(real)) return 'os-convention:debian-dist-packages';
    if (this.rpmFamily && RPM_SITE.test(real)) return 'os-convention:rpm-site-packages';
    return null;
  }
}
