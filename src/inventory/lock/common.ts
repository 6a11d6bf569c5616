/**
 * What every deep-mode lockfile / manifest analyzer shares: which files are read (by file name, outside the
 * folders where package managers unpack dependencies), decoding, per-file parse with problems naming the file,
 * counted skips, per-file de-duplication and per-entry layer attribution.
 *
 * Decisions (all lock/* analyzers):
 * - Deep mode only: a lockfile says what a project resolved, not what is installed in the image; light mode
 *   reads installed databases only (scan-status.md §2).
 * - A lockfile inside a dependency tree (`node_modules`, `site-packages`, `dist-packages`, `vendor`, Cargo's
 *   `.cargo/registry|git`, Go's module cache `pkg/mod`, `.m2`, `.pub-cache`, `.gradle`, `bower_components`,
 *   plus per-format folders such as RubyGems' `gems/` or Mix's `deps/`) is a dependency's own development
 *   lockfile, shipped in its source: it does not describe what the image's project uses and is not read.
 *   Installed packages there are found by the light analyzers.
 * - Entries that do not name a registry release (git, local path, file, link, workspace, URL/tarball, a version
 *   range) are skipped, counted per reason and logged (info summary per file, debug per entry): advisories are
 *   about registry releases, and a range is not a version.
 * - One package per (name, version) per file: a lockfile listing a package at several tree positions (npm
 *   nesting, pnpm peer variants) is one package at that file's location. A package that is dev-only in one
 *   position and not in another is not dev.
 * - The layer is the lowest layer from which every later version of the lockfile still lists that
 *   name@version (attributeByLayer), else the layer that wrote the file.
 */
import type { FileRequest } from '../../image/types.js';
import type { Package, PackageType } from '../../model/report.js';
import { errorText } from '../../util/error-text.js';
import { attributeByLayer } from '../attribution.js';
import { fileLayer, langPackage, readWanted } from '../lang/package.js';
import type { PurlParts } from '../purl.js';
import type { Analyzer, AnalyzerContext, AnalyzerProblem, AnalyzerResult } from '../types.js';

/** One resolved dependency of a lockfile. */
export interface LockEntry {
  name: string;
  version: string;
  metadata?: Record<string, string>;
  /** purl qualifiers that tell this release apart from the registry default (`repository_url`). */
  qualifiers?: Record<string, string>;
}

export interface LockParse {
  entries: LockEntry[];
  /** Entries that were not reported, with why (counted and logged by the analyzer). */
  skipped: { what: string; reason: string }[];
}

/** A file that is not a readable instance of its format. */
export class LockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockError';
  }
}

export interface LockFormat {
  /** `package-lock` → analyzer name `lock/package-lock`. */
  format: string;
  /** How messages name the file (`package-lock.json`). */
  what: string;
  type: PackageType;
  /** OSV base ecosystem. */
  ecosystem: string;
  maxSize: number;
  /** The file name (last path segment) test. */
  fileName(base: string): boolean;
  /** Folder names, besides the common ones, under which this format is a dependency's own file. */
  extraTrees?: readonly string[];
  parse(text: string): LockParse;
  purl(e: LockEntry): PurlParts;
  /**
   * Files this file includes, as written (pip's `-r other.txt`): followed relative to the including file's
   * folder, inside the image's merged view only, breadth first, each file read once (cycles end there), at
   * most MAX_INCLUDE_DEPTH levels and MAX_INCLUDED files per analyzer run. Each included file is reported at
   * its own location.
   */
  includes?(text: string): string[];
  /** Paths also collected because they may be include targets (read only when an included file is one). */
  includeTarget?(path: string): boolean;
}

export const MAX_INCLUDE_DEPTH = 8;
export const MAX_INCLUDED = 256;

/**
 * The image path an include names, relative to the including file's folder (`/x` from the image root); null
 * when it is a URL or climbs above the image root.
 */
export function includePath(from: string, spec: string): string | null {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(spec)) return null;
  const segs = spec.startsWith('/') ? [] : from.split('/').slice(0, -1);
  for (const seg of spec.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (!segs.length) return null;
      segs.pop();
    } else segs.push(seg);
  }
  return segs.length ? segs.join('/') : null;
}

const DEPENDENCY_TREES = new Set([
  'node_modules',
  'site-packages',
  'dist-packages',
  'vendor',
  '.m2',
  '.pub-cache',
  '.gradle',
  'bower_components',
]);

/** True when a path lies in a folder where a package manager unpacks dependencies (see the decisions above). */
export function inDependencyTree(path: string, extra: readonly string[] = []): boolean {
  const segs = path.split('/');
  segs.pop();
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    if (DEPENDENCY_TREES.has(s) || extra.includes(s)) return true;
    if (s === '.cargo' && (segs[i + 1] === 'registry' || segs[i + 1] === 'git')) return true;
    if (s === 'pkg' && segs[i + 1] === 'mod') return true;
  }
  return false;
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function lockRequest(f: Pick<LockFormat, 'fileName' | 'extraTrees' | 'maxSize' | 'includeTarget'>): FileRequest {
  return {
    match: (p) => (f.fileName(baseName(p)) || f.includeTarget?.(p) === true) && !inDependencyTree(p, f.extraTrees),
    maxSize: f.maxSize,
  };
}

/** Text of a lockfile: UTF-8 (BOM dropped), or UTF-16 LE/BE when it starts with that BOM. */
export function decodeText(body: Buffer): string {
  if (body.length >= 2 && body[0] === 0xff && body[1] === 0xfe) return body.subarray(2).toString('utf16le');
  if (body.length >= 2 && body[0] === 0xfe && body[1] === 0xff) {
    const swapped = Buffer.from(body.subarray(2, 2 + ((body.length - 2) & ~1)));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const text = body.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export const MAX_FIELD = 512;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A name or version fit for a report: non-empty, bounded, no control characters or spaces. */
export function plausible(s: string): boolean {
  return s.length > 0 && s.length <= MAX_FIELD && !CONTROL.test(s) && !/\s/.test(s);
}

/** Entries of the file keyed name\0version (dev only if every occurrence is dev), invalid ones skipped. */
function collapse(parsed: LockParse): Map<string, LockEntry> {
  const out = new Map<string, LockEntry>();
  for (const e of parsed.entries) {
    if (!plausible(e.name) || !plausible(e.version)) {
      parsed.skipped.push({
        what: JSON.stringify(`${e.name}@${e.version}`.slice(0, 80)),
        reason: 'name or version is not plausible',
      });
      continue;
    }
    const key = `${e.name}\0${e.version}${e.qualifiers ? `\0${JSON.stringify(Object.entries(e.qualifiers).sort())}` : ''}`;
    const prev = out.get(key);
    if (!prev) {
      out.set(key, { ...e, metadata: e.metadata ? { ...e.metadata } : undefined });
      continue;
    }
    if (prev.metadata?.dev && !e.metadata?.dev) delete prev.metadata.dev;
  }
  return out;
}

function skipSummary(skipped: LockParse['skipped']): string {
  const by = new Map<string, number>();
  for (const s of skipped) by.set(s.reason, (by.get(s.reason) ?? 0) + 1);
  return [...by].map(([r, n]) => `${n} ${r}`).join(', ');
}

/** The deep-mode analyzer of one lockfile format. */
export function lockAnalyzer(f: LockFormat): Analyzer {
  const name = `lock/${f.format}`;
  const request = lockRequest(f);
  return {
    name,
    kind: 'lang',
    modes: ['deep'],
    requests: [request],
    analyze(ctx: AnalyzerContext): AnalyzerResult {
      const packages: Package[] = [];
      const problems: AnalyzerProblem[] = [];
      const queue: { path: string; depth: number; from?: string }[] = [];
      const wanted = new Set(ctx.files.wanted());
      for (const path of wanted) {
        if (f.fileName(baseName(path)) && request.match(path)) queue.push({ path, depth: 0 });
      }
      const seen = new Set(queue.map((q) => q.path));
      let included = 0;
      const notFollowed = new Map<string, number>();
      const note = (why: string) => notFollowed.set(why, (notFollowed.get(why) ?? 0) + 1);
      for (let qi = 0; qi < queue.length; qi++) {
        const { path, depth, from } = queue[qi]!;
        const entry = ctx.files.stat(path);
        if (entry && entry.type !== 'file' && entry.type !== 'hardlink') continue;
        if (from !== undefined && (!entry || !request.match(path) || !wanted.has(path))) {
          note(
            entry ? 'included file not collected (its name is not one this reader requests)' : 'included file absent',
          );
          ctx.logger.debug(`${name}: ${from}: included ${JSON.stringify(path.slice(0, 200))} not read`);
          continue;
        }
        const body = readWanted(ctx.files, path, f.maxSize, f.what, problems);
        if (!body) continue;
        let parsed: LockParse;
        let text: string;
        try {
          text = decodeText(body);
          parsed = f.parse(text);
        } catch (err) {
          problems.push({ path, message: `not a readable ${f.what}: ${errorText(err)}` });
          continue;
        }
        const entries = collapse(parsed);
        if (parsed.skipped.length) {
          ctx.logger.info(
            `${name}: ${path}: ${parsed.skipped.length} entries not reported (${skipSummary(parsed.skipped)})`,
          );
          for (const s of parsed.skipped.slice(0, 50)) ctx.logger.debug(`${name}: ${path}: ${s.what}: ${s.reason}`);
        }
        let layers = new Map<string, number>();
        const versions = ctx.files.versions(path);
        if (versions.length > 1) {
          layers = attributeByLayer(
            versions,
            (b) => new Map([...collapse(f.parse(decodeText(b))).keys()].map((k) => [k, ''])),
          );
        }
        const fallback = fileLayer(ctx.files, path);
        for (const [key, e] of entries) {
          packages.push(
            langPackage(ctx.layers, {
              name: e.name,
              version: e.version,
              type: f.type,
              ecosystem: f.ecosystem,
              purl: f.purl(e),
              location: path,
              layer: layers.get(key) ?? fallback,
              foundBy: name,
              metadata: e.metadata,
            }),
          );
        }
        for (const spec of f.includes?.(text) ?? []) {
          const target = includePath(path, spec);
          const real = target === null ? undefined : (ctx.files.resolve(target) ?? target);
          if (real === undefined) note('include is a URL or outside the image root');
          else if (seen.has(real)) continue;
          else if (depth + 1 > MAX_INCLUDE_DEPTH) note(`include deeper than ${MAX_INCLUDE_DEPTH} levels`);
          else if (included >= MAX_INCLUDED) note(`more than ${MAX_INCLUDED} included files`);
          else {
            seen.add(real);
            included++;
            queue.push({ path: real, depth: depth + 1, from: path });
          }
        }
      }
      if (notFollowed.size) {
        ctx.logger.info(`${name}: includes not followed: ${[...notFollowed].map(([r, n]) => `${n} ${r}`).join(', ')}`);
      }
      return { packages, problems };
    },
  };
}
