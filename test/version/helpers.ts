/** Shared helpers for the version comparator tests: real version strings from ../shared, seeded sampling. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from '../helpers/shared.js';

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits concatenated JSON documents (as `unzip -p` prints a zip of JSON files) into parsed values. */
export function splitJsonDocuments(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
    }
  }
  return out;
}

interface OsvLike {
  affected?: { versions?: unknown[]; ranges?: { type?: string; events?: Record<string, unknown>[] }[] }[];
}

/** Every version string of OSV records: range events (introduced/fixed/last_affected/limit) and affected[].versions. */
export function versionsInOsvText(text: string): string[] {
  const out: string[] = [];
  for (const doc of splitJsonDocuments(text)) {
    for (const a of (doc as OsvLike).affected ?? []) {
      for (const v of a.versions ?? []) if (typeof v === 'string') out.push(v);
      for (const r of a.ranges ?? []) {
        if (r.type === 'GIT') continue;
        for (const e of r.events ?? []) {
          for (const k of ['introduced', 'fixed', 'last_affected', 'limit']) {
            const v = e[k];
            if (typeof v === 'string') out.push(v);
          }
        }
      }
    }
  }
  return out;
}

/** Distinct version strings of one OSV ecosystem folder of ../shared/data/osv (all.zip, loose/, extra/). */
export function osvVersions(ecosystemDir: string): string[] {
  const dir = sharedPath('data', 'osv', ecosystemDir);
  const set = new Set<string>();
  const zip = join(dir, 'all.zip');
  if (existsSync(zip)) {
    const text = execFileSync('unzip', ['-p', zip], { maxBuffer: 1 << 30, encoding: 'utf8' });
    for (const v of versionsInOsvText(text)) set.add(v);
  }
  for (const sub of ['loose', 'extra']) {
    const d = join(dir, sub);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d)) {
      if (f.endsWith('.json')) for (const v of versionsInOsvText(readFileSync(join(d, f), 'utf8'))) set.add(v);
    }
  }
  return [...set].sort();
}

/** Every "Version:" value in the dpkg status files under ../shared/data/pkgdb/dpkg. */
export function dpkgStatusVersions(): string[] {
  const set = new Set<string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const text = readFileSync(p, 'utf8');
        for (const m of text.matchAll(/^Version:[ \t]*(.*?)[ \t]*$/gm)) set.add(m[1]!);
      }
    }
  };
  walk(sharedPath('data', 'pkgdb', 'dpkg'));
  return [...set].sort();
}

/** `count` seeded random pairs from `items`. */
export function randomPairs<T>(items: T[], count: number, seed: number): [T, T][] {
  const r = rng(seed);
  const out: [T, T][] = [];
  for (let i = 0; i < count; i++) {
    out.push([items[Math.floor(r() * items.length)]!, items[Math.floor(r() * items.length)]!]);
  }
  return out;
}

/** Seeded sample of up to n items. */
export function sample<T>(items: T[], n: number, seed: number): T[] {
  const r = rng(seed);
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, n);
}

/** Pairs of versions that share a prefix up to their last separator (close versions: the interesting ones). */
export function nearPairs(items: string[], count: number, seed: number): [string, string][] {
  const groups = new Map<string, string[]>();
  for (const v of items) {
    const k = v.replace(/[^.:~+-][^.:~+-]*$/, '').slice(0, 12);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(v);
  }
  const multi = [...groups.values()].filter((g) => g.length > 1);
  const r = rng(seed);
  const out: [string, string][] = [];
  for (let i = 0; i < count && multi.length > 0; i++) {
    const g = multi[Math.floor(r() * multi.length)]!;
    out.push([g[Math.floor(r() * g.length)]!, g[Math.floor(r() * g.length)]!]);
  }
  return out;
}

export function sgn(n: number): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}
