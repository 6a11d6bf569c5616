/**
 * Maven `pom.xml`, deep mode: the dependencies the project's pom declares in `<project><dependencies>` with a
 * literal version, or with `${property}` references resolved from the same pom: its `<properties>`, and
 * `project.version` / `project.groupId` / `project.artifactId` / `project.parent.version` (and their legacy
 * `pom.`/bare forms). A dependency without `<version>` takes the one of the same pom's
 * `<dependencyManagement>` for that groupId:artifactId (itself resolved the same way).
 * Profiles with `<activation><activeByDefault>true` are active in a plain build: their `<properties>`
 * (overriding the project's), `<dependencyManagement>` and `<dependencies>` are read as Maven injects them (a
 * profile's dependency replaces the project's one with the same groupId:artifactId:type:classifier). Maven
 * turns them off when another profile of the pom is activated by the command line or the environment; that is
 * not knowable from the image, so the plain build is what is reported. Other profiles are not read.
 * Not read (so counted as unresolvable and skipped, never guessed): parent poms, imported BOMs, other
 * profiles, settings, the local repository — a pom that needs them says nothing certain on its own; the jars in the
 * image are read by lang/java. A version range (`[1.0,2.0)`) is not a version: skipped. `<scope>` is kept as
 * metadata.scope (test and provided dependencies are not in the runtime, but the pom declares them;
 * consumers may filter). `.m2/` repositories are not read (installed artifacts, not the project).
 */
import { mavenName } from '../../lang/java/analyzer.js';
import { type LockEntry, LockError, type LockParse, lockAnalyzer } from '../common.js';
import { child, childText, parseXml, type XmlElement } from './xml.js';

const REF = /\$\{([^}]*)\}/g;
const MAX_PASSES = 10;

/** The profiles Maven activates with no command line, environment or file to look at: `activeByDefault`. */
export function defaultProfiles(project: XmlElement): XmlElement[] {
  return (child(project, 'profiles')?.children ?? []).filter(
    (p) => p.name === 'profile' && childText(child(p, 'activation'), 'activeByDefault') === 'true',
  );
}

function resolver(project: XmlElement, profiles: XmlElement[]): (s: string) => string | null {
  const props = new Map<string, string>();
  for (const holder of [project, ...profiles])
    for (const p of child(holder, 'properties')?.children ?? []) props.set(p.name, p.text.trim());
  const parent = child(project, 'parent');
  const builtins: [string, string | null][] = [
    ['version', childText(project, 'version') ?? childText(parent, 'version')],
    ['groupId', childText(project, 'groupId') ?? childText(parent, 'groupId')],
    ['artifactId', childText(project, 'artifactId')],
    ['parent.version', childText(parent, 'version')],
    ['parent.groupId', childText(parent, 'groupId')],
  ];
  for (const [k, v] of builtins) {
    if (v === null) continue;
    for (const prefix of ['project.', 'pom.', '']) if (!props.has(prefix + k)) props.set(prefix + k, v);
  }
  return (s: string) => {
    let cur = s;
    for (let pass = 0; pass < MAX_PASSES && cur.includes('${'); pass++) {
      let missing = false;
      cur = cur.replace(REF, (_all, k: string) => {
        const v = props.get(k.trim());
        if (v === undefined) {
          missing = true;
          return _all;
        }
        return v;
      });
      if (missing) return null;
    }
    return cur.includes('${') ? null : cur;
  };
}

export function parsePom(text: string): LockParse {
  const doc = parseXml(text);
  const project = child(doc, 'project');
  if (!project) throw new LockError('no <project> element');
  const profiles = defaultProfiles(project);
  const holders = [project, ...profiles];
  const resolve = resolver(project, profiles);
  const entries: LockEntry[] = [];
  const skipped: LockParse['skipped'] = [];
  const managed = new Map<string, string>();
  for (const h of holders)
    for (const d of child(child(h, 'dependencyManagement'), 'dependencies')?.children ?? []) {
      if (d.name !== 'dependency') continue;
      const g = resolve(childText(d, 'groupId') ?? '');
      const a = resolve(childText(d, 'artifactId') ?? '');
      const v = childText(d, 'version');
      if (g && a && v) managed.set(`${g}:${a}`, v);
    }
  // Maven injects an active profile's dependencies into the model, merged by groupId:artifactId:type:classifier
  // with the profile's declaration winning.
  const declared = new Map<string, XmlElement>();
  let unkeyed = 0;
  for (const h of holders)
    for (const d of child(h, 'dependencies')?.children ?? []) {
      if (d.name !== 'dependency') continue;
      const g = resolve(childText(d, 'groupId') ?? '');
      const a = resolve(childText(d, 'artifactId') ?? '');
      const key =
        g && a ? `${g}:${a}:${childText(d, 'type') ?? 'jar'}:${childText(d, 'classifier') ?? ''}` : `\0${unkeyed++}`;
      declared.set(key, d);
    }
  for (const d of declared.values()) {
    const g = resolve(childText(d, 'groupId') ?? '');
    const a = resolve(childText(d, 'artifactId') ?? '');
    if (!g || !a) {
      skipped.push({
        what: `${childText(d, 'groupId')}:${childText(d, 'artifactId')}`,
        reason: 'groupId or artifactId missing or unresolvable',
      });
      continue;
    }
    const raw = childText(d, 'version') ?? managed.get(`${g}:${a}`) ?? null;
    const name = mavenName({ groupId: g, artifactId: a });
    if (raw === null || raw === '') {
      skipped.push({ what: name, reason: 'no version in this pom (parent or BOM not read)' });
      continue;
    }
    const version = resolve(raw);
    if (version === null || version === '') {
      skipped.push({ what: `${name} ${raw}`, reason: 'version property not defined in this pom' });
      continue;
    }
    if (/^[[(]/.test(version) || /[\])],?/.test(version)) {
      skipped.push({ what: `${name} ${version}`, reason: 'version range (a range is not a version)' });
      continue;
    }
    const scope = resolve(childText(d, 'scope') ?? '') || 'compile';
    const meta: Record<string, string> = { scope };
    if (childText(d, 'optional') === 'true') meta.optional = 'true';
    entries.push({ name, version, metadata: meta });
  }
  return { entries, skipped };
}

export const pomAnalyzer = lockAnalyzer({
  format: 'pom',
  what: 'pom.xml',
  type: 'maven',
  ecosystem: 'Maven',
  maxSize: 8 * 1024 * 1024,
  fileName: (b) => b === 'pom.xml',
  parse: parsePom,
  purl: (e) => {
    const colon = e.name.indexOf(':');
    return colon > 0
      ? { type: 'maven', namespace: e.name.slice(0, colon), name: e.name.slice(colon + 1), version: e.version }
      : { type: 'maven', name: e.name, version: e.version };
  },
});
