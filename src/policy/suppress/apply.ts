/**
 * applySuppressions: marks findings an ignore-file entry or an OpenVEX statement suppresses. Findings stay
 * in the list, in the same order, with `suppressed: { by, justification }`; the verdict never gates them.
 *
 * Order of precedence, per finding:
 *  1. a finding already carrying `suppressed` is left as it is;
 *  2. the first unexpired ignore-file entry (in `rules.ignore` order) that matches (a local, explicit decision wins
 *     over VEX, even over a VEX `affected`);
 *  3. otherwise the latest applicable VEX statement (by its timestamp, cascaded from the document; a tie
 *     goes to the statement given later: later document, then later position) decides: `not_affected` and
 *     `fixed` suppress, `affected` and `under_investigation` do not (and override an earlier
 *     `not_affected` for the same vulnerability and product).
 *
 * Matching a finding's package:
 *  - ids: the entry's `id` / the statement's vulnerability name and aliases against the finding's `id` and
 *    `aliases`, case-insensitively (an ignore by GHSA id suppresses the finding headlined by its CVE);
 *  - ignore `package`: the finding's package name, or the name of the source package it was built from
 *    (when `context.packages` is given), exactly;
 *  - purls (ignore `purl`, VEX products/subcomponents): see purl-match.ts; a `deb` purl qualified
 *    `arch=source` names a source package and matches every binary built from it (needs context.packages);
 *  - a VEX product with no subcomponents applies to the package its purl names, or to the whole scanned
 *    image when it identifies it (`pkg:oci/…@sha256:<digest>` or a `sha-256` hash equal to the manifest
 *    digest or image id; `pkg:oci/<name>` without digest by repository name, and `repository_url` when given);
 *  - a VEX product with subcomponents applies to packages matching a subcomponent, and only when the product
 *    is the scanned image (as above) or a package of its inventory.
 */
import type { Finding, Package, TargetInfo } from '../../model/report.js';
import { expiryInstant } from './ignore-file.js';
import { type ParsedPurl, parsePurl, purlMatches } from './purl-match.js';
import type { IgnoreEntry, VexComponent, VexProduct, VexStatement } from './types.js';

export interface SuppressionRules {
  ignore: readonly IgnoreEntry[];
  vex: readonly VexStatement[];
}

export interface SuppressionContext {
  /** The scan's packages: used to resolve source package names (`package:` and `arch=source` purls). */
  packages?: readonly Package[];
  /** The scanned image: lets VEX statements about the image (pkg:oci products) apply. */
  target?: Pick<TargetInfo, 'image_id' | 'manifest_digest' | 'refs'> | null;
}

export interface ExpiredEntry {
  entry: IgnoreEntry;
  source: string;
  /** Findings it would suppress if it had not expired. */
  matched: number;
}

export type UnusedRule =
  | { kind: 'ignore-file'; entry: IgnoreEntry; source: string }
  | { kind: 'vex'; statement: VexStatement; source: string };

export interface SuppressionResult {
  findings: Finding[];
  expired: ExpiredEntry[];
  /** Unexpired ignore entries and VEX statements that matched no finding (stale rules, typos). */
  unused: UnusedRule[];
  /** How many findings each kind suppressed. */
  counts: { ignoreFile: number; vex: number };
}

const MAX_JUSTIFICATION = 500;

function clip(s: string): string {
  return s.length > MAX_JUSTIFICATION ? s.slice(0, MAX_JUSTIFICATION - 1) + '…' : s;
}

interface Identity {
  names: string[];
  purl: ParsedPurl | null;
  /** The deb source package's purl (arch=source), when the package's source differs or is known. */
  sourcePurl: ParsedPurl | null;
}

function packageMatch(rule: ParsedPurl, id: Identity): boolean {
  if (id.purl && purlMatches(rule, id.purl)) return true;
  return rule.qualifiers.arch === 'source' && id.sourcePurl !== null && purlMatches(rule, id.sourcePurl);
}

function normRepo(s: string): string {
  let r = s
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/\/+$/, '');
  const first = r.split('/')[0]!;
  if (!r.includes('/') || (!first.includes('.') && !first.includes(':') && first !== 'localhost')) r = `docker.io/${r}`;
  r = r.replace(/^(index\.docker\.io|registry-1\.docker\.io)\//, 'docker.io/');
  if (/^docker\.io\/[^/]+$/.test(r)) r = r.replace('docker.io/', 'docker.io/library/');
  return r;
}

function refRepo(ref: string): string {
  let r = ref.split('@')[0]!;
  const slash = r.lastIndexOf('/');
  const colon = r.lastIndexOf(':');
  if (colon > slash) r = r.slice(0, colon);
  return normRepo(r);
}

function digestHex(d: string | null | undefined): string | null {
  const m = d ? /^sha256:([0-9a-f]{64})$/i.exec(d.trim()) : null;
  return m ? m[1]!.toLowerCase() : null;
}

export function applySuppressions(
  findings: readonly Finding[],
  rules: SuppressionRules,
  now: Date,
  context: SuppressionContext = {},
): SuppressionResult {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new TypeError('applySuppressions: `now` is not a valid date');
  const purlCache = new Map<string, ParsedPurl | null>();
  const pp = (s: string): ParsedPurl | null => {
    if (!purlCache.has(s)) purlCache.set(s, parsePurl(s));
    return purlCache.get(s)!;
  };

  // Packages by purl, for source names.
  const byPurl = new Map<string, Package>();
  for (const p of context.packages ?? []) if (!byPurl.has(p.purl)) byPurl.set(p.purl, p);
  const identity = (f: Finding): Identity => {
    const purl = pp(f.purl);
    const pkg = byPurl.get(f.purl);
    const names = [f.package];
    let sourcePurl: ParsedPurl | null = null;
    if (pkg?.source_name) {
      if (pkg.source_name !== f.package) names.push(pkg.source_name);
      if (purl && purl.type === 'deb') {
        const qualifiers: Record<string, string> = { arch: 'source' };
        if (purl.qualifiers.distro) qualifiers.distro = purl.qualifiers.distro;
        sourcePurl = {
          ...purl,
          name: pkg.source_name.toLowerCase(),
          version: pkg.source_version || purl.version,
          qualifiers,
        };
      }
    }
    return { names, purl, sourcePurl };
  };

  // The scanned image, for VEX products naming it.
  const target = context.target ?? null;
  const digests = new Set(
    [digestHex(target?.image_id), digestHex(target?.manifest_digest)].filter((x): x is string => x !== null),
  );
  const repos = new Set((target?.refs ?? []).map(refRepo));
  const isImage = (c: VexComponent): boolean => {
    if (!target) return false;
    const h = c.hashes['sha-256'] ?? c.hashes.sha256;
    if (h && digests.has(h)) return true;
    for (const s of c.purls) {
      const p = pp(s);
      if (p?.type !== 'oci') continue;
      if (p.version !== null) {
        const hex = digestHex(p.version);
        if (hex && digests.has(hex)) return true;
        continue;
      }
      for (const repo of repos) {
        if (repo.split('/').pop() !== p.name.toLowerCase()) continue;
        if (p.qualifiers.repository_url === undefined || normRepo(p.qualifiers.repository_url) === repo) return true;
      }
    }
    return false;
  };
  const inventoryPurls = [...byPurl.keys()].map(pp).filter((x): x is ParsedPurl => x !== null);
  const productInScan = new Map<VexProduct, boolean>();
  const inScan = (prod: VexProduct): boolean => {
    let v = productInScan.get(prod);
    if (v === undefined) {
      v =
        isImage(prod) ||
        prod.purls.some((s) => {
          const r = pp(s);
          return r !== null && inventoryPurls.some((p) => purlMatches(r, p));
        });
      productInScan.set(prod, v);
    }
    return v;
  };
  const componentMatches = (c: VexComponent, id: Identity): boolean =>
    c.purls.some((s) => {
      const r = pp(s);
      return r !== null && packageMatch(r, id);
    });
  const statementApplies = (st: VexStatement, id: Identity): boolean =>
    st.products.some((prod) =>
      prod.subcomponents.length
        ? prod.subcomponents.some((sc) => componentMatches(sc, id)) && inScan(prod)
        : componentMatches(prod, id) || isImage(prod),
    );

  // Index rules by id.
  const ignoreById = new Map<string, IgnoreEntry[]>();
  const ignoreOrder = new Map<IgnoreEntry, number>();
  for (const e of rules.ignore) {
    ignoreOrder.set(e, ignoreOrder.size);
    const k = e.id.toUpperCase();
    ignoreById.set(k, [...(ignoreById.get(k) ?? []), e]);
  }
  const vexOrder = new Map<VexStatement, number>();
  const vexById = new Map<string, VexStatement[]>();
  rules.vex.forEach((st, i) => {
    vexOrder.set(st, i);
    for (const k of new Set(st.vulnerabilityIds.map((x) => x.toUpperCase())))
      vexById.set(k, [...(vexById.get(k) ?? []), st]);
  });

  const ignoreHits = new Map<IgnoreEntry, number>();
  const vexHits = new Set<VexStatement>();
  const counts = { ignoreFile: 0, vex: 0 };
  const isExpired = (e: IgnoreEntry) => e.expires !== null && nowMs >= expiryInstant(e.expires);

  const out = findings.map((f): Finding => {
    const ids = new Set([f.id, ...f.aliases].map((x) => x.toUpperCase()));
    let id: Identity | null = null;
    const ident = () => (id ??= identity(f));

    // Ignore file: every matching entry is counted (so expired and unused are exact); the first live one wins.
    let bestIgnore: IgnoreEntry | null = null;
    const seen = new Set<IgnoreEntry>();
    for (const k of ids) {
      for (const e of ignoreById.get(k) ?? []) {
        if (seen.has(e)) continue;
        seen.add(e);
        if (e.package !== null && !ident().names.includes(e.package)) continue;
        if (e.purl !== null) {
          const r = pp(e.purl);
          if (!r || !packageMatch(r, ident())) continue;
        }
        ignoreHits.set(e, (ignoreHits.get(e) ?? 0) + 1);
        if (!isExpired(e) && (!bestIgnore || ignoreOrder.get(e)! < ignoreOrder.get(bestIgnore)!)) bestIgnore = e;
      }
    }

    // VEX: the latest applicable statement decides.
    let latest: VexStatement | null = null;
    const seenSt = new Set<VexStatement>();
    for (const k of ids) {
      for (const st of vexById.get(k) ?? []) {
        if (seenSt.has(st)) continue;
        seenSt.add(st);
        if (!statementApplies(st, ident())) continue;
        vexHits.add(st);
        if (!latest || st.time > latest.time || (st.time === latest.time && vexOrder.get(st)! > vexOrder.get(latest)!))
          latest = st;
      }
    }

    if (f.suppressed) return { ...f };
    if (bestIgnore) {
      counts.ignoreFile++;
      const until = bestIgnore.expires ? ` (until ${bestIgnore.expires})` : '';
      return {
        ...f,
        suppressed: {
          by: `ignore-file:${bestIgnore.source}#${bestIgnore.index}`,
          justification: clip(bestIgnore.reason + until),
        },
      };
    }
    if (latest && (latest.status === 'not_affected' || latest.status === 'fixed')) {
      counts.vex++;
      return { ...f, suppressed: { by: `vex:${latest.source}`, justification: clip(vexJustification(latest)) } };
    }
    return { ...f };
  });

  const expired: ExpiredEntry[] = rules.ignore
    .filter(isExpired)
    .map((entry) => ({ entry, source: entry.source, matched: ignoreHits.get(entry) ?? 0 }));
  const unused: UnusedRule[] = [
    ...rules.ignore
      .filter((e) => !isExpired(e) && !ignoreHits.has(e))
      .map((entry) => ({ kind: 'ignore-file' as const, entry, source: entry.source })),
    ...rules.vex
      .filter((s) => !vexHits.has(s))
      .map((statement) => ({ kind: 'vex' as const, statement, source: statement.source })),
  ];
  return { findings: out, expired, unused, counts };
}

/** The text shown for a VEX suppression: status, justification label, then the impact statement or notes. */
export function vexJustification(st: VexStatement): string {
  const label = st.justification ? `${st.status} (${st.justification})` : st.status;
  const text =
    st.status === 'not_affected' ? (st.impactStatement ?? st.statusNotes) : (st.statusNotes ?? st.actionStatement);
  return text ? `${label}: ${text}` : label;
}
