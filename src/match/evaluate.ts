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

import { comparatorFor, UnparsableVersionError } from '../version/index.js';
import { compareSemver } from '../version/semver.js';
import type { OsvAffected, OsvEvent, OsvRange } from '../vulndb/types.js';

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

// The last (ecosystem, type) asked for: a package's advisories are evaluated one after the other.
let lastEcosystem = '';
let lastType = '';
let lastCmp: Cmp | null = null;

/** The ordering a range type uses in an ecosystem. Throws UnknownEcosystemError. */
export function rangeComparator(ecosystem: string, type: string): Cmp {
  if (lastCmp !== null && ecosystem === lastEcosystem && type === lastType) return lastCmp;
  const f = rangeComparatorOf(ecosystem, type);
  lastEcosystem = ecosystem;
  lastType = type;
  lastCmp = f;
  return f;
}

function rangeComparatorOf(ecosystem: string, type: string): Cmp {
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

/** The order the range's events are sorted in (stable: equal versions keep the record's order). */
function eventOrder(x: OsvEvent, xi: number, y: OsvEvent, yi: number, cmp: Cmp): number {
  const a = x.introduced === '0' ? null : eventVersion(x)!;
  const b = y.introduced === '0' ? null : eventVersion(y)!;
  const c = a === null ? (b === null ? 0 : -1) : b === null ? 1 : cmp(a, b);
  return c !== 0 ? c : xi - yi;
}

/** Sorted by version: an event without limit that has a version. */
function sortable(e: OsvEvent): boolean {
  return e.limit === undefined && eventVersion(e) !== undefined;
}

/** A `fixed` event the walk compares with v (so `fixed` parsed there): not a limit, not also an `introduced`. */
function walked(e: OsvEvent): boolean {
  return e.limit === undefined && e.introduced === undefined;
}

/** Own enumerable keys of an event (Object.keys(e).length, without the array). */
function keyCount(e: OsvEvent): number {
  let n = 0;
  for (const k in e) if (Object.hasOwn(e, k)) n++;
  return n;
}

/**
 * A range of more than two events, prepared for one ordering: its limits and `fixed` versions in record
 * order, and its events sorted by version (or the error sorting them threw), sorted on first use. Kept per
 * (ordering, range object), so a range shared by several evaluations (the DB hands out the same record
 * objects) is sorted once. Records are never modified after they are read, which is what makes this safe.
 * Ranges of one or two events (nearly all) are evaluated directly: preparing them costs more than it saves.
 */
interface Plan {
  limits: readonly string[];
  fixed: readonly string[];
  /** Every `fixed` event is one the walk compares with v. */
  fixedWalked: boolean;
  ordered: OsvEvent[] | { error: unknown } | null;
}

const plans = new Map<Cmp, WeakMap<OsvRange, Plan>>();

function planOf(range: OsvRange, events: OsvEvent[], cmp: Cmp): Plan {
  let byRange = plans.get(cmp);
  if (!byRange) plans.set(cmp, (byRange = new WeakMap()));
  let plan = byRange.get(range);
  if (!plan) {
    plan = {
      limits: events.filter((e) => e.limit !== undefined).map((e) => e.limit!),
      fixed: events.filter((e) => e.fixed !== undefined).map((e) => e.fixed!),
      fixedWalked: events.every((e) => e.fixed === undefined || walked(e)),
      ordered: null,
    };
    byRange.set(range, plan);
  }
  return plan;
}

/** The range's events without limits, sorted by version (stable: equal versions keep the record's order). */
function orderedEvents(plan: Plan, events: OsvEvent[], cmp: Cmp): OsvEvent[] {
  let o = plan.ordered;
  if (o === null) {
    try {
      const idx: number[] = [];
      for (let i = 0; i < events.length; i++) if (sortable(events[i]!)) idx.push(i);
      o = idx.sort((x, y) => eventOrder(events[x]!, x, events[y]!, y, cmp)).map((i) => events[i]!);
    } catch (error) {
      o = { error };
    }
    plan.ordered = o;
  }
  if (!Array.isArray(o)) throw o.error;
  return o;
}

const INCLUDED: RangeResult = { includes: true, fixedAbove: NONE };
const EXCLUDED: RangeResult = { includes: false, fixedAbove: NONE };
const NO_EVENTS: OsvEvent[] = [];

/** Whether the last applicable event of the walk (events sorted by version) leaves v vulnerable. */
function walk(v: string, e: OsvEvent, vulnerable: boolean, cmp: Cmp): boolean {
  if (e.introduced !== undefined) {
    if (e.introduced === '0' || cmp(v, e.introduced) >= 0) return true;
  } else if (e.fixed !== undefined) {
    if (cmp(v, e.fixed) >= 0) return false;
  } else if (e.last_affected !== undefined) {
    if (cmp(v, e.last_affected) > 0) return false;
  }
  return vulnerable;
}

/** The result of a walk: `fixed` versions strictly above v, in record order, when v is vulnerable. */
function result(
  v: string,
  vulnerable: boolean,
  events: readonly OsvEvent[],
  fixedWalked: boolean,
  cmp: Cmp,
): RangeResult {
  // (the caller reads fixedAbove only for a range that includes v; when every `fixed` was parsed in the walk,
  // comparing them again cannot fail, so it is skipped for a range that does not)
  if (!vulnerable && fixedWalked) return EXCLUDED;
  let fixedAbove: string[] | null = null;
  for (let i = 0; i < events.length; i++) {
    const f = events[i]!.fixed;
    if (f !== undefined && cmp(f, v) > 0) (fixedAbove ??= []).push(f);
  }
  if (!vulnerable) return EXCLUDED;
  return fixedAbove ? { includes: true, fixedAbove } : INCLUDED;
}

function evaluateRange(v: string, range: OsvRange, cmp: Cmp): RangeResult {
  const events = range.events ?? NO_EVENTS;
  if (events.length <= 2) return evaluateSmall(v, events, cmp);
  const plan = planOf(range, events, cmp);
  const limits = plan.limits;
  if (limits.length && !limits.some((l) => l === '*' || cmp(v, l) < 0)) return EXCLUDED;
  const ordered = orderedEvents(plan, events, cmp);
  let vulnerable = false;
  for (const e of ordered) vulnerable = walk(v, e, vulnerable, cmp);
  return result(v, vulnerable, events, plan.fixedWalked, cmp);
}

/**
 * A range of at most two events, evaluated as the general path would (limits in record order, the same sort
 * comparisons, the same walk) without preparing anything.
 */
function evaluateSmall(v: string, events: OsvEvent[], cmp: Cmp): RangeResult {
  const e0 = events[0];
  const e1 = events[1];
  if (e0 === undefined) return EXCLUDED;
  // The shapes distro records use: introduced "0" then at most one fixed / last_affected. Sorting cannot
  // reorder them ("0" is the lowest), so the walk reduces to one comparison.
  if (e0.introduced === '0' && keyCount(e0) === 1) {
    if (e1 === undefined) return INCLUDED;
    if (keyCount(e1) === 1) {
      if (e1.fixed !== undefined) return cmp(v, e1.fixed) < 0 ? { includes: true, fixedAbove: [e1.fixed] } : EXCLUDED;
      if (e1.last_affected !== undefined) return cmp(v, e1.last_affected) <= 0 ? INCLUDED : EXCLUDED;
    }
  }
  // limits: v must be below one of them
  let limited = false;
  let below = false;
  for (let i = 0; i < events.length; i++) {
    const l = events[i]!.limit;
    if (l === undefined) continue;
    limited = true;
    if (!below && (l === '*' || cmp(v, l) < 0)) below = true;
  }
  if (limited && !below) return EXCLUDED;
  // sort: Array.prototype.sort on two elements compares (second, first) once and swaps when negative
  let first: OsvEvent | undefined = sortable(e0) ? e0 : undefined;
  let second: OsvEvent | undefined = e1 !== undefined && sortable(e1) ? e1 : undefined;
  if (first === undefined) [first, second] = [second, undefined];
  else if (second !== undefined && eventOrder(second, 1, first, 0, cmp) < 0) [first, second] = [second, first];
  let vulnerable = false;
  if (first !== undefined) vulnerable = walk(v, first, vulnerable, cmp);
  if (second !== undefined) vulnerable = walk(v, second, vulnerable, cmp);
  const fixedWalked =
    (e0.fixed === undefined || walked(e0)) && (e1 === undefined || e1.fixed === undefined || walked(e1));
  return result(v, vulnerable, events, fixedWalked, cmp);
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
  const ranges = affected.ranges ?? NO_RANGES;
  let firstError: UnparsableVersionError | null = null;
  let fixedAbove: string[] | null = null;
  let inRange = false;
  let cmpOfMatch: Cmp | null = null;
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i]!;
    if (r.type !== 'ECOSYSTEM' && r.type !== 'SEMVER') continue;
    const cmp = rangeComparator(ecosystem, r.type);
    try {
      const res = evaluateRange(v, r, cmp);
      if (res.includes) {
        inRange = true;
        cmpOfMatch ??= cmp;
        if (res.fixedAbove.length) {
          fixedAbove ??= [];
          for (const f of res.fixedAbove) fixedAbove.push(f); // no spread: a range list can be long
        }
      }
    } catch (e) {
      if (!(e instanceof UnparsableVersionError)) throw e;
      firstError ??= e;
    }
  }
  if (inRange)
    return {
      affected: true,
      fixed:
        fixedAbove === null ? null : fixedAbove.length === 1 ? fixedAbove[0]! : safeLowest(fixedAbove, cmpOfMatch!),
      via: 'range',
    };
  const ecoCmp = rangeComparator(ecosystem, 'ECOSYSTEM');
  if (listed(v, affected.versions)) {
    const above: string[] = [];
    for (const r of ranges) {
      if (r.type !== 'ECOSYSTEM' && r.type !== 'SEMVER') continue;
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

const NO_RANGES: OsvRange[] = [];

function safeLowest(versions: string[], cmp: Cmp): string | null {
  try {
    return lowest(versions, cmp);
  } catch (e) {
    if (!(e instanceof UnparsableVersionError)) throw e;
    return versions[0] ?? null;
  }
}
