/**
 * The matcher's fast paths against plain reference versions of the same rules, on every real record of the
 * shared OSV zips:
 * - evaluateAffected (ranges of one or two events evaluated directly, longer ones through a cached sorted
 *   plan, `fixed` versions compared only for a range that includes the version) against the OSV schema's
 *   Evaluation algorithm written out plainly below (filter the ranges, sort each range's events stably by
 *   version with "0" first, walk them, collect the `fixed` versions above the installed one);
 * - groupByAliases (records sharing no id made groups of their own without the union-find) against a plain
 *   union-find over every record's vulnerability units;
 * - matchPackages batching its lookups (the SQLite store's lookupMany, several batches) against the same
 *   store asked one lookup at a time; findings come out in compareFindings order.
 * Installed versions are the records' own event versions (introduced, fixed, last_affected, limit), so
 * every boundary of every range is exercised, with the versions parsed, unparsable or not.
 */
import { describe, expect, it } from 'vitest';
import { groupByAliases, vulnerabilityUnits } from '../../src/match/aliases.js';
import { type Cmp, evaluateAffected, rangeComparator } from '../../src/match/evaluate.js';
import { compareFindings, LOOKUP_BATCH, matchPackages } from '../../src/match/match.js';
import { LANGUAGE_ECOSYSTEMS } from '../../src/match/packages.js';
import type { Package, PackageType } from '../../src/model/report.js';
import { UnknownEcosystemError, UnparsableVersionError } from '../../src/version/index.js';
import { buildDb } from '../../src/vulndb/build.js';
import { openDb } from '../../src/vulndb/store-reader.js';
import type { OsvAffected, OsvEvent, OsvRecord, VulnDb } from '../../src/vulndb/types.js';
import { haveShared, sharedPath } from '../helpers/shared.js';
import { pkg } from './helpers.js';
import { MemVulnDb, zipRecords } from './mem-db.js';

const ZIPS = [
  'AlmaLinux/all.zip',
  'Alpine/all.zip',
  'Debian/all.zip',
  'Go/all.zip',
  'Maven/all.zip',
  'Packagist/all.zip',
  'PyPI/all.zip',
  'RubyGems/all.zip',
  'crates.io/all.zip',
];

/** The schema's Evaluation, plainly: what evaluateAffected must return (or throw) for any entry. */
function referenceEvaluate(
  eco: string,
  v: string,
  a: OsvAffected,
): { affected: boolean; fixed: string | null; via: 'range' | 'versions' | null } {
  const lowest = (list: string[], cmp: Cmp): string | null => {
    let best: string | null = null;
    try {
      for (const f of list) if (best === null || cmp(f, best) < 0) best = f;
    } catch (e) {
      if (!(e instanceof UnparsableVersionError)) throw e;
      return list[0] ?? null;
    }
    return best;
  };
  const version = (e: OsvEvent) => e.introduced ?? e.fixed ?? e.last_affected ?? e.limit;
  const ranges = (a.ranges ?? []).filter((r) => r.type === 'ECOSYSTEM' || r.type === 'SEMVER');
  let error: UnparsableVersionError | null = null;
  const above: string[] = [];
  let matchCmp: Cmp | null = null;
  for (const r of ranges) {
    const cmp = rangeComparator(eco, r.type);
    const events = r.events ?? [];
    try {
      const limits = events.filter((e) => e.limit !== undefined).map((e) => e.limit!);
      if (limits.length && !limits.some((l) => l === '*' || cmp(v, l) < 0)) continue;
      const sorted = events
        .map((e, i) => ({ e, i }))
        .filter(({ e }) => e.limit === undefined && version(e) !== undefined)
        .sort((x, y) => {
          const p = x.e.introduced === '0' ? null : version(x.e)!;
          const q = y.e.introduced === '0' ? null : version(y.e)!;
          const c = p === null ? (q === null ? 0 : -1) : q === null ? 1 : cmp(p, q);
          return c !== 0 ? c : x.i - y.i;
        });
      let vulnerable = false;
      for (const { e } of sorted) {
        if (e.introduced !== undefined) {
          if (e.introduced === '0' || cmp(v, e.introduced) >= 0) vulnerable = true;
        } else if (e.fixed !== undefined) {
          if (cmp(v, e.fixed) >= 0) vulnerable = false;
        } else if (e.last_affected !== undefined && cmp(v, e.last_affected) > 0) vulnerable = false;
      }
      const fixedAbove = events.filter((e) => e.fixed !== undefined && cmp(e.fixed, v) > 0).map((e) => e.fixed!);
      if (vulnerable) {
        matchCmp ??= cmp;
        above.push(...fixedAbove);
      }
    } catch (e) {
      if (!(e instanceof UnparsableVersionError)) throw e;
      error ??= e;
    }
  }
  if (matchCmp) return { affected: true, fixed: lowest(above, matchCmp), via: 'range' };
  const ecoCmp = rangeComparator(eco, 'ECOSYSTEM');
  if (a.versions?.includes(v)) {
    const fixes: string[] = [];
    for (const r of ranges) {
      const cmp = rangeComparator(eco, r.type);
      for (const e of r.events ?? []) {
        try {
          if (e.fixed !== undefined && cmp(e.fixed, v) > 0) fixes.push(e.fixed);
        } catch (err) {
          if (!(err instanceof UnparsableVersionError)) throw err;
        }
      }
    }
    return { affected: true, fixed: lowest(fixes, ecoCmp), via: 'versions' };
  }
  if (error) throw error;
  return { affected: false, fixed: null, via: null };
}

function outcome(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    if (e instanceof UnparsableVersionError) return { error: e.message };
    throw e;
  }
}

/** Groups as a plain union-find over every record's units makes them (headline: lowest CVE, else lowest record id). */
function referenceGroups(records: OsvRecord[]): { id: string; aliases: string[]; records: string[] }[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => (parent.get(x) === x ? x : find(parent.get(x)!));
  const cveKey = (id: string) => /^CVE-(\d{4})-(\d+)$/.exec(id);
  const units = records.flatMap((r) => vulnerabilityUnits(r).map((u) => ({ ...u, record: r })));
  for (const u of units) for (const k of u.keys) if (!parent.has(k)) parent.set(k, k);
  for (const u of units)
    for (const k of u.keys) {
      const a = find(u.keys[0]!);
      const b = find(k);
      // biome-ignore lint/complexity/useMathMinMax: the keys are strings (Math.max would give NaN)
      if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
    }
  const groups = new Map<string, { keys: Set<string>; ids: Set<string>; records: Set<OsvRecord> }>();
  for (const u of units) {
    const root = find(u.keys[0]!);
    const g = groups.get(root) ?? { keys: new Set<string>(), ids: new Set<string>(), records: new Set<OsvRecord>() };
    groups.set(root, g);
    for (const k of u.keys) {
      g.keys.add(k);
      g.ids.add(k);
    }
    for (const l of u.labels) g.ids.add(l);
    g.ids.add(u.record.id);
    g.records.add(u.record);
  }
  return [...groups.values()]
    .map((g) => {
      const cves = [...g.keys]
        .filter((k) => cveKey(k))
        .sort((x, y) => {
          const [, xy, xn] = cveKey(x)!;
          const [, yy, yn] = cveKey(y)!;
          return Number(xy) - Number(yy) || Number(xn) - Number(yn) || (x < y ? -1 : x > y ? 1 : 0);
        });
      const id = cves[0] ?? [...g.records].map((r) => r.id).sort()[0]!;
      return {
        id,
        aliases: [...g.ids].filter((x) => x !== id).sort(),
        records: [...g.records].map((r) => r.id).sort(),
      };
    })
    .sort(byIdThenRecords);
}

/** Groups with equal headlines (a record standing for several upstream ids) in a fixed order, for comparing. */
function byIdThenRecords(a: { id: string; records: string[] }, b: { id: string; records: string[] }): number {
  const x = `${a.id}\u0000${a.records.join()}`;
  const y = `${b.id}\u0000${b.records.join()}`;
  return x < y ? -1 : x > y ? 1 : 0;
}

describe.runIf(haveShared())('fast paths = plain reference versions, on every shared record', () => {
  const records = ZIPS.flatMap((z) => zipRecords(z));

  it('evaluateAffected = the schema algorithm for every entry at every event version of its record', () => {
    let evaluated = 0;
    let affected = 0;
    let undecided = 0;
    const viaVersions = { n: 0 };
    for (const r of records) {
      for (const a of r.affected ?? []) {
        const eco = a.package?.ecosystem;
        if (!eco) continue;
        try {
          rangeComparator(eco, 'ECOSYSTEM');
        } catch (e) {
          if (e instanceof UnknownEcosystemError) continue;
          throw e;
        }
        const versions = new Set<string>();
        for (const g of r.affected ?? [])
          for (const rg of g.ranges ?? [])
            for (const e of rg.events ?? []) {
              for (const x of [e.introduced, e.fixed, e.last_affected, e.limit])
                if (x !== undefined && x !== '0') versions.add(x);
            }
        for (const x of (a.versions ?? []).slice(0, 3)) versions.add(x);
        for (const v of versions) {
          const got = outcome(() => evaluateAffected(eco, v, a));
          const want = outcome(() => referenceEvaluate(eco, v, a));
          if (JSON.stringify(got) !== JSON.stringify(want))
            expect({ record: r.id, eco, v, got }).toEqual({ record: r.id, eco, v, got: want });
          evaluated++;
          if ((got as { affected?: boolean }).affected) affected++;
          if ((got as { via?: string }).via === 'versions') viaVersions.n++;
          if ((got as { error?: string }).error) undecided++;
        }
      }
    }
    console.log(
      `[reference] ${evaluated} evaluations: ${affected} affected (${viaVersions.n} by the versions list), ${undecided} undecidable`,
    );
    // Every kind of outcome is exercised.
    expect(evaluated).toBeGreaterThan(100_000);
    expect(affected).toBeGreaterThan(10_000);
    expect(viaVersions.n).toBeGreaterThan(0);
    expect(undecided).toBeGreaterThan(0);
  });

  it('groupByAliases = a plain union-find, for the records of every package key, in two input orders', () => {
    const db = new MemVulnDb(records);
    const keys = new Set<string>();
    for (const r of records)
      for (const a of r.affected ?? []) if (a.package) keys.add(`${a.package.ecosystem}\u0000${a.package.name}`);
    let merged = 0;
    let checked = 0;
    for (const key of keys) {
      const [eco, name] = key.split('\u0000') as [string, string];
      const items = db.lookup(eco, name).map((e) => ({ record: e.record }));
      const want = referenceGroups(items.map((i) => i.record));
      for (const order of [items, [...items].reverse()]) {
        const groups = groupByAliases(order);
        // groups come out by headline id
        expect(groups.map((g) => g.id)).toEqual(groups.map((g) => g.id).sort());
        const got = groups
          .map((g) => ({ id: g.id, aliases: g.aliases, records: g.items.map((i) => i.record.id).sort() }))
          .sort(byIdThenRecords);
        if (JSON.stringify(got) !== JSON.stringify(want)) expect({ key, got }).toEqual({ key, got: want });
      }
      checked++;
      if (want.some((g) => g.records.length > 1)) merged++;
    }
    console.log(`[reference] ${checked} package keys grouped, ${merged} with records merged into one finding`);
    expect(merged).toBeGreaterThan(100);
  });

  it(`matchPackages batching its lookups (${LOOKUP_BATCH} packages a batch) = one lookup at a time, on a real SQLite DB`, async () => {
    const zips = ['Go', 'PyPI', 'Alpine'];
    const db = await openDb(
      await buildDb(
        zips.map((e) => ({ kind: 'zip' as const, path: sharedPath('data', 'osv', e, 'all.zip'), base: e })),
        { source: 'test' },
      ),
    );
    const typeOf: Record<string, PackageType> = Object.fromEntries(
      Object.entries(LANGUAGE_ECOSYSTEMS).map(([t, e]) => [e, t as PackageType]),
    );
    const packages: Package[] = [];
    const seen = new Set<string>();
    for (const r of records) {
      if (packages.length > 2 * LOOKUP_BATCH + 2_000) break;
      for (const a of r.affected ?? []) {
        const eco = a.package?.ecosystem ?? '';
        const base = eco.split(':')[0]!;
        if (!zips.includes(base)) continue;
        for (const g of a.ranges ?? [])
          for (const e of g.events) {
            const v = e.fixed ?? e.introduced;
            if (!v || v === '0' || seen.has(`${eco} ${a.package!.name} ${v}`)) continue;
            seen.add(`${eco} ${a.package!.name} ${v}`);
            const type = base === 'Alpine' ? 'apk' : typeOf[base]!;
            // A name in another spelling now and then (PyPI), and packages repeated: each must match as itself.
            const name = base === 'PyPI' && packages.length % 3 === 0 ? a.package!.name.toUpperCase() : a.package!.name;
            packages.push(pkg({ name, version: v, type, source_name: name, ecosystem: type === 'apk' ? eco : null }));
          }
      }
    }
    packages.push(...packages.slice(0, 500));
    expect(packages.length).toBeGreaterThan(2 * LOOKUP_BATCH);
    const now = new Date('2025-06-01T00:00:00Z');
    const one: VulnDb = {
      lookup: (e, n) => db.lookup(e, n),
      ecosystems: () => db.ecosystems(),
      meta: () => db.meta(),
      close: () => {},
    };
    const t0 = performance.now();
    const batched = matchPackages(packages, db, { now });
    const t1 = performance.now();
    const single = matchPackages(packages, one, { now });
    console.log(
      `[reference] ${packages.length} packages: batched ${(t1 - t0).toFixed(0)} ms, one lookup at a time ${(performance.now() - t1).toFixed(0)} ms → ${batched.findings.length} findings`,
    );
    db.close();
    expect(batched.findings.length).toBeGreaterThan(5_000);
    expect(JSON.stringify(batched)).toBe(JSON.stringify(single));
    expect([...batched.findings].sort(compareFindings)).toEqual(batched.findings);
  });
});
