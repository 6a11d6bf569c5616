/**
 * OSV's evaluation of one affected[] entry for one installed version, as the schema's "Evaluation" section
 * writes it (https://ossf.github.io/osv-schema/#evaluation):
 *
 *   affected  = v is in `versions`  OR  some range includes v
 *   a range includes v when v is before one of its `limit`s (no limit = unlimited) and, walking its events
 *   sorted by version, the last applicable one is an `introduced` (v >= introduced sets, v >= fixed clears,
 *   v > last_affected clears).
 *
 * Only ECOSYSTEM and SEMVER ranges are evaluated (GIT ranges name commits, which an installed package does
 * not have; other types are unknown to us and skipped the same way). `introduced: "0"` is the "since the
 * beginning" sentinel and is never parsed. Events at equal versions keep the record's order (stable sort).
 *
 * An unparsable version (installed or advisory) makes a range undecidable. The entry is still affected when
 * another range or the versions list says so; otherwise the error is thrown (UnparsableVersionError) so the
 * caller counts it: never a silent "not affected".
 *
 * `versions` lists are matched verbatim (the schema's `v == version`): they are published as the exact
 * release strings the package manager installs.
 *
 * Fixed version reported: the lowest `fixed` above the installed version among the ranges that include it.
 * When only the versions list matched, the lowest `fixed` above it among all ranges of the entry; null when
 * there is none (unfixed, or only `last_affected` / `limit` bounds).
 */
import type { OsvAffected, OsvEvent, OsvRange } from '../vulndb/types.js';
import { comparatorFor, UnparsableVersionError } from '../version/index.js';
import { compareSemver } from '../version/semver.js';

export type Cmp = (a: string, b: string) => number;

export interface Evaluation {
  affected: boolean;
  fixed: string | null;
  /** What decided: a range, the versions list, or nothing (not affected). */
  via: 'range' | 'versions' | null;
}

const SEMVER_NATIVE = new Set(['semver', 'semver (npm)', 'pub_semver', 'go-semver']);

const cmpCache = new Map<string, Cmp>();

/** The ordering a range type uses in an ecosystem. Throws UnknownEcosystemError. */
export function rangeComparator(ecosystem: string, type: string): Cmp {
  const key = `${type}\u0000${ecosystem}`;
  let f = cmpCache.get(key);
  if (f) return f;
  const c = comparatorFor(ecosystem);
  if (type === 'SEMVER' && !SEMVER_NATIVE.has(c.name)) {
    // A SEMVER range in an ecosystem with another scheme: SemVer 2.0 precedence, as the schema says.
    f = (a, b) => compareSemver(a, b, 'npm', ecosystem);
  } else {
    f = (a, b) => c.compare(a, b);
  }
  cmpCache.set(key, f);
  return f;
}

function eventVersion(e: OsvEvent): string | undefined {
  return e.introduced ?? e.fixed ?? e.last_affected ?? e.limit;
}

interface RangeResult {
  includes: boolean;
  /** `fixed` events strictly above v, in this range. */
  fixedAbove: string[];
}

const NONE: string[] = [];

function evaluateRange(v: string, range: OsvRange, cmp: Cmp): RangeResult {
  const events = range.events ?? [];
  // Fast path for the shapes distro records use: introduced "0" then at most one fixed / last_affected.
  // Sorting cannot reorder them ("0" is the lowest), so the walk reduces to one comparison.
  if (events.length <= 2 && events[0]?.introduced === '0' && Object.keys(events[0]).length === 1) {
    const end = events[1];
    if (!end) return { includes: true, fixedAbove: NONE };
    if (Object.keys(end).length === 1) {
      if (end.fixed !== undefined) {
        const below = cmp(v, end.fixed) < 0;
        return { includes: below, fixedAbove: below ? [end.fixed] : NONE };
      }
      if (end.last_affected !== undefined) return { includes: cmp(v, end.last_affected) <= 0, fixedAbove: NONE };
    }
  }
  const limits = events.filter((e) => e.limit !== undefined).map((e) => e.limit!);
  if (limits.length && !limits.some((l) => l === '*' || cmp(v, l) < 0)) return { includes: false, fixedAbove: [] };
  const ordered = events
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.limit === undefined && eventVersion(e) !== undefined)
    .sort((x, y) => {
      const a = x.e.introduced === '0' ? null : eventVersion(x.e)!;
      const b = y.e.introduced === '0' ? null : eventVersion(y.e)!;
      const c = a === null ? (b === null ? 0 : -1) : b === null ? 1 : cmp(a, b);
      return c !== 0 ? c : x.i - y.i;
    })
    .map(({ e }) => e);
  let vulnerable = false;
  for (const e of ordered) {
    if (e.introduced !== undefined) {
      if (e.introduced === '0' || cmp(v, e.introduced) >= 0) vulnerable = true;
    } else if (e.fixed !== undefined) {
      if (cmp(v, e.fixed) >= 0) vulnerable = false;
    } else if (e.last_affected !== undefined) {
      if (cmp(v, e.last_affected) > 0) vulnerable = false;
    }
  }
  const fixedAbove = events.filter((e) => e.fixed !== undefined && cmp(e.fixed, v) > 0).map((e) => e.fixed!);
  return { includes: vulnerable, fixedAbove };
}

function lowest(versions: string[], cmp: Cmp): string | null {
  let best: string | null = null;
  for (const f of versions) if (best === null || cmp(f, best) < 0) best = f;
  return best;
}

/** The schema's IncludedInVersions: the installed version is listed verbatim. */
function listed(v: string, versions: string[] | undefined): boolean {
  return !!versions?.length && versions.includes(v);
}

/**
 * Evaluates one affected entry for installed version `v` in `ecosystem` (the package's OSV ecosystem).
 * Throws UnparsableVersionError when undecidable, UnknownEcosystemError when the ecosystem has no scheme.
 */
export function evaluateAffected(ecosystem: string, v: string, affected: OsvAffected): Evaluation {
  const ranges = (affected.ranges ?? []).filter((r) => r.type === 'ECOSYSTEM' || r.type === 'SEMVER');
  let firstError: UnparsableVersionError | null = null;
  const fixedAbove: string[] = [];
  let inRange = false;
  let cmpOfMatch: Cmp | null = null;
  for (const r of ranges) {
    const cmp = rangeComparator(ecosystem, r.type);
    try {
      const res = evaluateRange(v, r, cmp);
      if (res.includes) {
        inRange = true;
        cmpOfMatch ??= cmp;
        fixedAbove.push(...res.fixedAbove);
      }
    } catch (e) {
      if (!(e instanceof UnparsableVersionError)) throw e;
      firstError ??= e;
    }
  }
  if (inRange) return { affected: true, fixed: safeLowest(fixedAbove, cmpOfMatch!), via: 'range' };
  const ecoCmp = rangeComparator(ecosystem, 'ECOSYSTEM');
  if (listed(v, affected.versions)) {
    const above: string[] = [];
    for (const r of ranges) {
      const cmp = rangeComparator(ecosystem, r.type);
      for (const e of r.events ?? []) {
        if (e.fixed === undefined) continue;
        try {
          if (cmp(e.fixed, v) > 0) above.push(e.fixed);
        } catch (err) {
          if (!(err instanceof UnparsableVersionError)) throw err;
        }
      }
    }
    return { affected: true, fixed: safeLowest(above, ecoCmp), via: 'versions' };
  }
  if (firstError) throw firstError;
  return { affected: false, fixed: null, via: null };
}

function safeLowest(versions: string[], cmp: Cmp): string | null {
  try {
    return lowest(versions, cmp);
  } catch (e) {
    if (!(e instanceof UnparsableVersionError)) throw e;
    return versions[0] ?? null;
  }
}
