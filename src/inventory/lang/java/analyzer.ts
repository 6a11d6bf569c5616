/**
 * Java archives (jar, war, ear and the Jenkins/JBoss variants): every `pom.properties` inside (Maven writes
 * `META-INF/maven/<groupId>/<artifactId>/pom.properties`; shaded jars carry one per bundled artifact, some
 * tools put them elsewhere, so any entry named pom.properties counts), and nested archives
 * (`BOOT-INF/lib/*.jar`, `WEB-INF/lib/*.jar`, …) down to NESTED_DEPTH levels. An archive with no
 * pom.properties falls back to META-INF/MANIFEST.MF and its file name (metadata.identified_by says which);
 * without a groupId the name is the artifactId alone, which no Maven advisory (keyed `group:artifact`)
 * matches. Exploded archives on disk (`…/META-INF/maven/<g>/<a>/pom.properties` as a file) are read too.
 *
 * Limits: archives up to ARCHIVE_MAX in the image, nested archives up to NESTED_MAX, INFLATE_BUDGET bytes
 * inflated per top-level archive in total; past a limit the archive is a problem and the rest is skipped.
 * Locations of nested archives are `<outer path>!/<entry>` (the Java URL convention).
 * Runs in deep mode only (spec §2: archives such as jars are deep mode's inventory).
 */
import type { FileRequest } from '../../../image/types.js';
import type { Package } from '../../../model/report.js';
import { BYTES_ROUNDED, fmtBytes } from '../../../util/bytes.js';
import { errorText } from '../../../util/error-text.js';
import type { Analyzer, AnalyzerContext, AnalyzerProblem, AnalyzerResult } from '../../types.js';
import { fileLayer, langPackage } from '../package.js';
import { listZip, readEntry, type ZipBudget } from './zip.js';

export const ARCHIVE_MAX = 128 * 1024 * 1024;
export const NESTED_MAX = 64 * 1024 * 1024;
export const INFLATE_BUDGET = 256 * 1024 * 1024;
export const NESTED_DEPTH = 3;
const SMALL_MAX = 1024 * 1024;

const ARCHIVE = /\.(?:jar|war|ear|jpi|hpi|par|sar|kar)$/i;
const EXPLODED_POM = /(?:^|\/)META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;

export const JAVA_REQUESTS: FileRequest[] = [
  { match: (p) => ARCHIVE.test(p), maxSize: ARCHIVE_MAX },
  { match: (p) => p.endsWith('/pom.properties') && EXPLODED_POM.test(p), maxSize: SMALL_MAX },
];

export interface MavenCoordinates {
  groupId: string | null;
  artifactId: string;
  version: string;
  identifiedBy: 'pom.properties' | 'MANIFEST.MF' | 'file name';
  /** Where in the image (with `!/` for entries of archives). */
  location: string;
}

/** Java .properties subset: `key=value` / `key: value` / `key value`, `#`/`!` comments. */
export function parseProperties(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line[0] === '#' || line[0] === '!') continue;
    const i = line.search(/[=:\s]/);
    if (i < 0) continue;
    const key = line.slice(0, i).trim();
    const value = line
      .slice(i + 1)
      .replace(/^[\s=:]*/, '')
      .trim();
    if (key && !m.has(key)) m.set(key, value);
  }
  return m;
}

/** The main section of a MANIFEST.MF (continuation lines start with one space). */
export function parseManifest(text: string): Map<string, string> {
  const m = new Map<string, string>();
  let last: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    if (raw === '') break;
    if (raw[0] === ' ' && last) {
      m.set(last, m.get(last)! + raw.slice(1));
      continue;
    }
    const i = raw.indexOf(':');
    if (i <= 0) continue;
    last = raw.slice(0, i).trim();
    if (!m.has(last)) m.set(last, raw.slice(i + 1).trim());
    else last = null;
  }
  return m;
}

function fromPom(props: Map<string, string>, location: string): MavenCoordinates | null {
  const artifactId = props.get('artifactId');
  const version = props.get('version');
  if (!artifactId || !version) return null;
  return { groupId: props.get('groupId') || null, artifactId, version, identifiedBy: 'pom.properties', location };
}

function fromManifest(
  manifest: Map<string, string> | null,
  fileName: string,
  location: string,
): MavenCoordinates | null {
  const stem = fileName.replace(/\.[^.]+$/, '');
  const f = /^(.+?)-(\d[^-]*(?:-(?:SNAPSHOT|[A-Za-z]+\d*))?)$/.exec(stem);
  const version = manifest?.get('Implementation-Version') || manifest?.get('Bundle-Version') || f?.[2] || null;
  const artifactId = f?.[1] || manifest?.get('Implementation-Title') || null;
  if (!artifactId || !version) return null;
  const groupId = manifest?.get('Implementation-Vendor-Id') || null;
  const by = manifest?.get('Implementation-Version') || manifest?.get('Bundle-Version') ? 'MANIFEST.MF' : 'file name';
  return { groupId, artifactId, version, identifiedBy: by, location };
}

export interface ArchiveScan {
  found: MavenCoordinates[];
  problems: AnalyzerProblem[];
}

/** Everything identified in one archive and the archives it nests. Never throws. */
export function scanArchive(
  buf: Buffer,
  location: string,
  depth = 0,
  budget: ZipBudget = { left: INFLATE_BUDGET },
): ArchiveScan {
  const found: MavenCoordinates[] = [];
  const problems: AnalyzerProblem[] = [];
  let entries;
  try {
    entries = listZip(buf);
  } catch (err) {
    problems.push({ path: location, message: `not a readable Java archive: ${errorText(err)}` });
    return { found, problems };
  }
  let manifest: Map<string, string> | null = null;
  const own: MavenCoordinates[] = [];
  for (const e of entries) {
    if (e.name.endsWith('/')) continue;
    const base = e.name.slice(e.name.lastIndexOf('/') + 1);
    try {
      if (base === 'pom.properties') {
        const c = fromPom(parseProperties(readEntry(buf, e, SMALL_MAX, budget).toString('utf8')), location);
        if (c) own.push(c);
      } else if (e.name === 'META-INF/MANIFEST.MF') {
        manifest = parseManifest(readEntry(buf, e, SMALL_MAX, budget).toString('utf8'));
      } else if (ARCHIVE.test(base)) {
        const inner = `${location}!/${e.name}`;
        if (depth + 1 > NESTED_DEPTH) {
          problems.push({ path: inner, message: `nested deeper than ${NESTED_DEPTH} archives: not read` });
          continue;
        }
        if (e.size > NESTED_MAX) {
          problems.push({
            path: inner,
            message: `nested archive of ${fmtBytes(e.size, BYTES_ROUNDED)} is over the ${fmtBytes(NESTED_MAX, BYTES_ROUNDED)} limit: not read`,
          });
          continue;
        }
        const sub = scanArchive(readEntry(buf, e, NESTED_MAX, budget), inner, depth + 1, budget);
        for (const f of sub.found) found.push(f); // no spread: a nested archive's list can be long
        for (const p of sub.problems) problems.push(p);
      }
    } catch (err) {
      problems.push({ path: `${location}!/${e.name}`, message: errorText(err) });
      if (budget.left <= 0) {
        problems.push({
          path: location,
          message: `stopped: more than ${fmtBytes(INFLATE_BUDGET, BYTES_ROUNDED)} inflated from this archive`,
        });
        break;
      }
    }
  }
  if (own.length === 0) {
    const c = fromManifest(
      manifest,
      location.slice(Math.max(location.lastIndexOf('/'), location.lastIndexOf('!')) + 1),
      location,
    );
    if (c) own.push(c);
  }
  const seen = new Set<string>();
  const mine = own.filter((c) => {
    const k = `${c.groupId}:${c.artifactId}@${c.version}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return { found: [...mine, ...found], problems };
}

export function mavenName(c: Pick<MavenCoordinates, 'groupId' | 'artifactId'>): string {
  return c.groupId ? `${c.groupId}:${c.artifactId}` : c.artifactId;
}

export const javaAnalyzer: Analyzer = {
  name: 'lang/java',
  kind: 'lang',
  modes: ['deep'],
  requests: JAVA_REQUESTS,
  analyze(ctx: AnalyzerContext): AnalyzerResult {
    const packages: Package[] = [];
    const problems: AnalyzerProblem[] = [];
    for (const path of ctx.files.wanted()) {
      const archive = ARCHIVE.test(path);
      if (!archive && !EXPLODED_POM.test(path)) continue;
      const entry = ctx.files.stat(path);
      if (entry && entry.type !== 'file' && entry.type !== 'hardlink') continue;
      const body = ctx.files.read(path);
      if (body === undefined) continue;
      if (body === null) {
        problems.push({
          path,
          message: `larger than the ${fmtBytes(archive ? ARCHIVE_MAX : SMALL_MAX, BYTES_ROUNDED)} limit: not read`,
        });
        continue;
      }
      let found: MavenCoordinates[];
      if (archive) {
        const r = scanArchive(body, path);
        found = r.found;
        for (const p of r.problems) problems.push(p);
      } else {
        const c = fromPom(parseProperties(body.toString('utf8')), path);
        if (!c) {
          problems.push({ path, message: 'pom.properties without artifactId or version' });
          continue;
        }
        found = [c];
      }
      const layer = fileLayer(ctx.files, path);
      for (const c of found) {
        const name = mavenName(c);
        packages.push(
          langPackage(ctx.layers, {
            name,
            version: c.version,
            type: 'maven',
            ecosystem: 'Maven',
            purl: { type: 'maven', namespace: c.groupId, name: c.artifactId, version: c.version },
            location: c.location,
            layer,
            foundBy: 'lang/java',
            metadata: { identified_by: c.identifiedBy },
          }),
        );
      }
    }
    return { packages, problems };
  },
};
