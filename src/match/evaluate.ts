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

/** Per range type, per ecosystem. */
const cmpCache = new Map<string, Map<string, Cmp>>();

/** The ordering a range type uses in an ecosystem. Throws UnknownEcosystemError. */
export function rangeComparator(ecosystem: string, type: string): Cmp {
  let byEco = cmpCache.get(type);
  if (!byEco) cmpCache.set(type, (byEco = new Map()));
  let f = byEco.get(ecosystem);
  if (f) return f;
  const c = comparatorFor(ecosystem);
  if (type === 'SEMVER' && !SEMVER_NATIVE.has(c.name)) {
    // A SEMVER range in an ecosystem with another scheme: SemVer 2.0 precedence, as the schema says.
    f = (a, b) => compareSemver(a, b, 'npm', ecosystem);
  } else {
    f = (a, b) => c.compare(a, b);
  }
  byEco.set(ecosystem, f);
  return f;
}

function eventVersion(e: OsvEvent): string | undefined {
  return e.introduced ?? e.fixed ?? e.last_affected ?? e.limit;
}

interface RangeResult {
  includes: boolean;
  /** `fixed` events strictly above v, in this range (shared: read only). */
  fixedAbove: readonly string[];
}

const NONE: readonly string[] = [];

/**
 * What evaluating a range against any version needs, derived from the range alone for one ordering: its
 * shape (the distro fast path), its limits, its `fixed` versions in record order, and its events sorted by
 * version (or the error sorting them threw), sorted on first use. Kept per (ordering, range object), so a
 * range shared by several evaluations (the DB hands out the same record objects) is prepared once. Records
 * are never modified after they are read, which is what makes this safe.
 */
interface Plan {
  /** 1: only `introduced: "0"`; 2: that, then one `fixed` (`end`); 3: that, then one `last_affected`; 0: general. */
  shape: 0 | 1 | 2 | 3;
  end: string;
  limits: readonly string[];
  fixed: readonly string[];
  ordered: OsvEvent[] | { error: unknown } | null;
}

const plans = new Map<Cmp, WeakMap<OsvRange, Plan>>();

function planOf(range: OsvRange, cmp: Cmp): Plan {
  let byRange = plans.get(cmp);
  if (!byRange) plans.set(cmp, (byRange = new WeakMap()));
  let plan = byRange.get(range);
  if (!plan) byRange.set(range, (plan = makePlan(range.events ?? [])));
  return plan;
}

function makePlan(events: OsvEvent[]): Plan {
  // The shapes distro records use: introduced "0" then at most one fixed / last_affected. Sorting cannot
  // reorder them ("0" is the lowest), so the walk reduces to one comparison.
  if (events.length <= 2 && events[0]?.introduced === '0' && Object.keys(events[0]).length === 1) {
    const end = events[1];
    if (!end) return { shape: 1, end: '', limits: NONE, fixed: NONE, ordered: null };
    if (Object.keys(end).length === 1) {
      if (end.fixed !== undefined) return { shape: 2, end: end.fixed, limits: NONE, fixed: [end.fixed], ordered: null };
      if (end.last_affected !== undefined) return { shape: 3, end: end.last_affected, limits: NONE, fixed: NONE, ordered: null };
    }
  }
  return {
    shape: 0,
    end: '',
    limits: events.filter((e) => e.limit !== undefined).map((e) => e.limit!),
    fixed: events.filter((e) => e.fixed !== undefined).map((e) => e.fixed!),
    ordered: null,
  };
}

/** The range's events without limits, sorted by version (stable: equal versions keep the record's order). */
function orderedEvents(plan: Plan, events: OsvEvent[], cmp: Cmp): OsvEvent[] {
  let o = plan.ordered;
  if (o === null) {
    try {
      o = events
        .map((e, i) => ({ e, i }))
        .filter(({ e }) => e.limit === undefined && eventVersion(e) !== undefined)
        .sort((x, y) => {
          const a = x.e.introduced === '0' ? null : eventVersion(x.e)!;
          const b = y.e.introduced === '0' ? null : eventVersion(y.e)!;
          const c = a === null ? (b === null ? 0 : -1) : b === null ? 1 : cmp(a, b);
          return c !== 0 ? c : x.i - y.i;
        })
        .map(({ e }) => e);
    } catch (error) {
      o = { error };
    }
    plan.ordered = o;
  }
  if (!Array.isArray(o)) throw o.error;
  return o;
}

const INCLUDED: RangeResult = { includes: true, fixedAbove: NONE };

function evaluateRange(v: string, range: OsvRange, cmp: Cmp): RangeResult {
  const plan = planOf(range, cmp);
  switch (plan.shape) {
    case 1:
      return INCLUDED;
    case 2: {
      const below = cmp(v, plan.end) < 0;
      return { includes: below, fixedAbove: below ? plan.fixed : NONE };
    }
    case 3:
      return { includes: cmp(v, plan.end) <= 0, fixedAbove: NONE };
  }
  const limits = plan.limits;
  if (limits.length && !limits.some((l) => l === '*' || cmp(v, l) < 0)) return { includes: false, fixedAbove: NONE };
  const ordered = orderedEvents(plan, range.events ?? [], cmp);
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
  let fixedAbove: string[] | null = null;
  for (const f of plan.fixed) if (cmp(f, v) > 0) (fixedAbove ??= []).push(f);
  return { includes: vulnerable, fixedAbove: fixedAbove ?? NONE };
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
