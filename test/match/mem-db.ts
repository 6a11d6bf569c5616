/**
 * A test double of the vulnerability store: an in-memory VulnDb over real OSV records (read from the shared
 * zips and loose files). Indexed by (affected ecosystem, normalised name) the way the SQLite store is; it
 * keeps its own PEP 503 normalisation so it does not lean on the matcher's.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AdvisoryEntry, DbMeta, OsvAffected, OsvRecord, VulnDb } from '../../src/vulndb/types.js';
import { sharedPath } from '../helpers/shared.js';

/** The store's documented rule (src/vulndb/names.ts), written out again here. */
function storeName(ecosystem: string, name: string): string {
  const base = ecosystem.split(':')[0];
  const n = name.trim();
  if (base === 'PyPI') return n.toLowerCase().replace(/[-_.]+/g, '-');
  if (base === 'crates.io') return n.toLowerCase().replace(/_/g, '-');
  if (base === 'Packagist' || base === 'NuGet') return n.toLowerCase();
  return n;
}

export class MemVulnDb implements VulnDb {
  private readonly index = new Map<string, AdvisoryEntry[]>();
  private readonly ecos = new Map<string, number>();
  lookups = 0;

  constructor(
    readonly records: OsvRecord[],
    private readonly source = 'test: shared OSV records',
  ) {
    for (const record of records) {
      const byKey = new Map<string, OsvAffected[]>();
      for (const a of record.affected ?? []) {
        if (!a.package?.ecosystem || !a.package.name) continue;
        const key = `${a.package.ecosystem}\u0000${storeName(a.package.ecosystem, a.package.name)}`;
        let list = byKey.get(key);
        if (!list) byKey.set(key, (list = []));
        list.push(a);
      }
      for (const [key, affected] of byKey) {
        let list = this.index.get(key);
        if (!list) this.index.set(key, (list = []));
        list.push({ record, affected });
        const eco = key.split('\u0000')[0]!;
        this.ecos.set(eco, (this.ecos.get(eco) ?? 0) + 1);
      }
    }
  }

  lookup(ecosystem: string, name: string): AdvisoryEntry[] {
    this.lookups++;
    return this.index.get(`${ecosystem}\u0000${storeName(ecosystem, name)}`) ?? [];
  }

  ecosystems(): string[] {
    return [...this.ecos.keys()].sort();
  }

  meta(): DbMeta {
    return {
      schema_version: 1,
      source: this.source,
      built_at: new Date(0).toISOString(),
      ecosystems: this.ecosystems().map((name) => ({
        name,
        records: this.ecos.get(name)!,
        newest_modified: null,
        fetched_at: new Date(0).toISOString(),
      })),
      skipped: [],
    };
  }

  close(): void {}
}

const extracted = new Map<string, string>();

/** One extraction per zip, kept under the OS temp folder and reused by later runs (marked complete when done). */
function extractOnce(relative: string): string {
  const zip = sharedPath('data', 'osv', relative);
  const dir = join(tmpdir(), 'scanrook-match-osv', `${relative.replace(/[^A-Za-z0-9.]+/g, '_')}-${statSync(zip).size}`);
  if (!existsSync(join(dir, '.complete'))) {
    mkdirSync(dirname(dir), { recursive: true });
    const tmp = mkdtempSync(`${dir}.tmp-`);
    execFileSync('unzip', ['-q', '-o', zip, '-d', tmp]);
    writeFileSync(join(tmp, '.complete'), '');
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(tmp, dir);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another worker got there first
    }
  }
  return dir;
}

function walk(dir: string, out: string[]): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (f.endsWith('.json')) out.push(p);
  }
  return out;
}

/** Every record of a shared zip (`osv/<Ecosystem>/all.zip`…), extracted once per process with unzip. */
export function zipRecords(relative: string, keep: (r: OsvRecord) => boolean = () => true): OsvRecord[] {
  let dir = extracted.get(relative);
  if (!dir) {
    dir = extractOnce(relative);
    extracted.set(relative, dir);
  }
  return walk(dir, [])
    .sort()
    .map((f) => JSON.parse(readFileSync(f, 'utf8')) as OsvRecord)
    .filter(keep);
}

/** One record from a zip by file name (e.g. `GO-2022-0617.json`), with unzip -p. */
export function zipRecord(relative: string, file: string): OsvRecord {
  return JSON.parse(
    execFileSync('unzip', ['-p', sharedPath('data', 'osv', relative), file], { encoding: 'utf8', maxBuffer: 64 << 20 }),
  ) as OsvRecord;
}

/** A loose record file under osv/. */
export function looseRecord(relative: string): OsvRecord {
  return JSON.parse(readFileSync(sharedPath('data', 'osv', relative), 'utf8')) as OsvRecord;
}
