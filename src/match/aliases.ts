/**
 * Which records describe the same vulnerability, and so make one finding per package.
 *
 * - `aliases` name the same vulnerability (OSV: "the same vulnerability in other databases"): a record, its id
 *   and its aliases are one vulnerability, and records sharing any of these ids are merged.
 * - `upstream` names the upstream vulnerabilities a downstream advisory fixes. A record with ONE upstream id
 *   is that vulnerability (a USN naming UBUNTU-CVE-2019-5094, a DEBIAN-CVE-… or ALPINE-CVE-… record naming
 *   its CVE, a DLA fixing one CVE): it is merged with it. A record with SEVERAL upstream ids (a DSA fixing
 *   eight CVEs) stands for each of them: it joins one finding per upstream CVE, listed in each finding's
 *   aliases, without merging those CVEs into one.
 * - a distro-prefixed CVE id (`UBUNTU-CVE-2019-5094`, `DEBIAN-CVE-…`, `ALPINE-CVE-…`) also stands for the
 *   plain CVE id. `related` is not used: it links different vulnerabilities.
 *
 * Headline id of a finding: its lowest CVE id (by year, then number) when it has any, else the
 * lexicographically first record id. Every other id (merged record ids, their aliases and upstream ids) is in
 * `aliases`, sorted.
 */
import type { OsvRecord } from '../vulndb/types.js';
import { factsOf, type Solo, type Unit } from './record-facts.js';

const CVE = /^CVE-(\d{4})-(\d+)$/;
const PREFIXED_CVE = /^[A-Z][A-Z0-9]*-(CVE-\d{4}-\d+)$/;

/** An id and, for a distro-prefixed CVE id, the plain CVE it stands for. */
function withCve(id: string): string[] {
  const m = PREFIXED_CVE.exec(id);
  return m ? [id, m[1]!] : [id];
}

/**
 * The vulnerabilities a record stands for: each with the ids that identify it (`keys`, merged with other
 * records sharing one) and the ids listed beside them (`labels`: the bundling advisory's own ids).
 */
export function vulnerabilityUnits(record: OsvRecord): { keys: string[]; labels: string[] }[] {
  return unitsOf(record).map((u) => ({ keys: [...u.keys], labels: [...u.labels] }));
}

// Per record object (record-facts.ts): its units and ids, computed once. Internal callers only read them;
// the exported functions return copies.
function unitsOf(record: OsvRecord): readonly Unit[] {
  const f = factsOf(record);
  return (f.units ??= computeUnits(record));
}

function idsOf(record: OsvRecord): ReadonlySet<string> {
  const f = factsOf(record);
  return (f.ids ??= new Set(unitsOf(record).flatMap((u) => [...u.keys, ...u.labels])));
}

function computeUnits(record: OsvRecord): Unit[] {
  // own: the record id and its aliases, each followed by the CVE a distro-prefixed id stands for, first
  // occurrence of each; upstream: the upstream ids not among them, first occurrence of each.
  const own: string[] = [];
  addWithCve(own, record.id);
  const aliases = record.aliases;
  if (aliases) for (const a of aliases) if (typeof a === 'string' && a.length > 0) addWithCve(own, a);
  const upstream: string[] = [];
  if (record.upstream) {
    for (const u of record.upstream)
      if (typeof u === 'string' && u.length > 0 && !upstream.includes(u) && !own.includes(u)) upstream.push(u);
  }
  if (upstream.length === 0) return [{ keys: own, labels: [] }];
  if (upstream.length === 1) {
    const keys = own.slice();
    for (const k of withCve(upstream[0]!)) if (!keys.includes(k)) keys.push(k);
    return [{ keys, labels: [] }];
  }
  return upstream.map((u) => ({ keys: withCve(u), labels: own }));
}

function addWithCve(list: string[], id: string): void {
  if (!list.includes(id)) list.push(id);
  const m = typeof id === 'string' && id.includes('-CVE-') ? PREFIXED_CVE.exec(id) : null; // (the regex needs "-CVE-")
  if (m && !list.includes(m[1]!)) list.push(m[1]!);
}

/** Every id a record answers to (own id, aliases, upstream, and the CVEs behind distro-prefixed ids). */
export function recordIds(record: OsvRecord): string[] {
  return [...idsOf(record)];
}

export function compareCve(a: string, b: string): number {
  const x = CVE.exec(a)!;
  const y = CVE.exec(b)!;
  return Number(x[1]) - Number(y[1]) || Number(x[2]) - Number(y[2]) || (a < b ? -1 : a > b ? 1 : 0);
}

export interface RecordGroup<T> {
  /** Headline id. */
  id: string;
  /** Every other id of the group, sorted. */
  aliases: string[];
  /** The group's items, the headline's record first, then by record id. */
  items: T[];
}

/** The group a one-unit record makes alone: what the general path below computes for it, without the union-find. */
function soloOf(record: OsvRecord, unit: Unit): Solo {
  const f = factsOf(record);
  let solo = f.solo;
  if (!solo) {
    // One unit has no labels, and its keys hold the record's id and are distinct (see computeUnits).
    let headline: string | null = null;
    for (const k of unit.keys) if (CVE.test(k) && (headline === null || compareCve(k, headline) < 0)) headline = k;
    if (headline === null) headline = record.id;
    const h = headline;
    solo = { id: h, aliases: unit.keys.filter((k) => k !== h).sort() };
    f.solo = solo;
  }
  return solo;
}

/** Groups items (each with a record) into vulnerabilities. Deterministic for any input order. */
export function groupByAliases<T extends { record: OsvRecord }>(items: T[]): RecordGroup<T>[] {
  // A record that is one vulnerability unit sharing no id with any other unit is a group of its own (what the
  // union-find below makes of it, without it); the others go through the union-find. Ids of the two kinds of
  // group never coincide (a solo group's headline is one of its own ids, which no other unit has), so
  // sorting them together gives the order the union-find alone gives.
  if (items.length === 1) {
    const units = unitsOf(items[0]!.record);
    return units.length === 1 ? [soloGroup(items[0]!, units[0]!)] : groupGeneral(items);
  }
  const count = new Map<string, number>();
  for (const item of items)
    for (const u of unitsOf(item.record)) for (const k of u.keys) count.set(k, (count.get(k) ?? 0) + 1);
  const out: RecordGroup<T>[] = [];
  let rest: T[] | null = null;
  for (const item of items) {
    const units = unitsOf(item.record);
    if (units.length === 1 && units[0]!.keys.every((k) => count.get(k) === 1)) out.push(soloGroup(item, units[0]!));
    else (rest ??= []).push(item);
  }
  if (rest) out.push(...groupGeneral(rest));
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function soloGroup<T extends { record: OsvRecord }>(item: T, unit: Unit): RecordGroup<T> {
  const solo = soloOf(item.record, unit);
  return { id: solo.id, aliases: solo.aliases.slice(), items: [item] };
}

function groupGeneral<T extends { record: OsvRecord }>(items: T[]): RecordGroup<T>[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let c = x;
    while (c !== r) {
      const n = parent.get(c)!;
      parent.set(c, r);
      c = n;
    }
    return r;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    // biome-ignore lint/complexity/useMathMinMax: the keys are strings (Math.max would give NaN)
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  const units: { keys: readonly string[]; labels: readonly string[]; item: T }[] = [];
  for (const item of items) {
    for (const u of unitsOf(item.record)) {
      units.push({ keys: u.keys, labels: u.labels, item });
      for (const k of u.keys) if (!parent.has(k)) parent.set(k, k);
      for (const k of u.keys.slice(1)) union(u.keys[0]!, k);
    }
  }
  const groups = new Map<string, { keys: Set<string>; ids: Set<string>; items: Set<T> }>();
  for (const u of units) {
    const root = find(u.keys[0]!);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = { keys: new Set(), ids: new Set(), items: new Set() }));
    for (const k of u.keys) {
      g.keys.add(k);
      g.ids.add(k);
    }
    for (const l of u.labels) g.ids.add(l);
    g.ids.add(u.item.record.id);
    g.items.add(u.item);
  }
  const out: RecordGroup<T>[] = [];
  for (const g of groups.values()) {
    const cves = [...g.keys].filter((id) => CVE.test(id)).sort(compareCve);
    const recordIdsSorted = [...g.items].map((i) => i.record.id).sort();
    const headline = cves[0] ?? recordIdsSorted[0]!;
    const aliases = [...g.ids].filter((id) => id !== headline).sort();
    const ranks = new Map<T, number>();
    for (const it of g.items) ranks.set(it, it.record.id === headline ? 0 : idsOf(it.record).has(headline) ? 1 : 2);
    const ordered = [...g.items].sort(
      (a, b) => ranks.get(a)! - ranks.get(b)! || (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0),
    );
    out.push({ id: headline, aliases, items: ordered });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
