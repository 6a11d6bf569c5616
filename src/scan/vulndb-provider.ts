/**
 * One vulnerability DB per step: the first scan prepares it for the ecosystems it needs, releases included
 * (`Ubuntu:22.04:LTS`, not every release of `Ubuntu`: OSV's one archive per base holds 17 Ubuntu releases,
 * and storing them all made the DB 16 times larger and its cold build 5 times slower, BENCHMARKS.md "DB build
 * at scale"); later scans whose ecosystems it already covers reuse it (a step scanning 20 images of one
 * release loads the DB once); a scan that needs another ecosystem or release prepares the union (the base
 * archive is downloaded once per prepare either way).
 */
import type { Logger } from '../util/logger.js';
import { baseEcosystem } from '../vulndb/ecosystems.js';

/** True when a DB prepared for `have` holds `eco`: the same name, or its base (which keeps every release). */
function covers(have: ReadonlySet<string>, eco: string): boolean {
  return have.has(eco) || have.has(baseEcosystem(eco));
}

import type { EarlyDbPath, PreparedVulnDb, PrepareVulnDbOptions } from '../vulndb/prepare.js';
import { openDbPathEarly, prepareVulnDb } from '../vulndb/prepare.js';
import { loadSqlJs } from '../vulndb/sqlite.js';

export type VulnDbProvider = ((ecosystems: readonly string[], signal?: AbortSignal) => Promise<PreparedVulnDb>) & {
  /**
   * Called when a scan starts reading its image: starts the work the DB stage will need whatever the image
   * holds, so it overlaps with the read. Never throws and never rejects; a failure here is met again, and
   * reported, by the DB stage itself.
   */
  warm?: () => void;
};

export interface ProviderOptions extends Omit<PrepareVulnDbOptions, 'ecosystems' | 'signal' | 'logger'> {
  logger: Logger;
  /** Injected for tests; defaults to prepareVulnDb. */
  prepare?: (opts: PrepareVulnDbOptions) => Promise<PreparedVulnDb>;
}

export function vulnDbProvider(opts: ProviderOptions): VulnDbProvider {
  const prepare = opts.prepare ?? prepareVulnDb;
  let current: { ecosystems: Set<string>; prepared: PreparedVulnDb } | null = null;
  let warmed = false;
  let early: EarlyDbPath | null = null;
  const provider: VulnDbProvider = async (ecosystems, signal) => {
    if (current?.prepared.db && ecosystems.every((e) => covers(current!.ecosystems, e))) {
      opts.logger.info(`reusing the vulnerability DB prepared for ${[...current.ecosystems].join(', ')}`);
      return current.prepared;
    }
    const union = new Set([...(current?.ecosystems ?? []), ...ecosystems]);
    // An early-opened db-path file is handed over once; a later prepare opens the file itself.
    const handOver = early;
    early = null;
    const prepared = await prepare({
      ...opts,
      ecosystems: [...union].sort(),
      ...(signal ? { signal } : {}),
      ...(handOver ? { early: handOver } : {}),
    });
    if (current?.prepared.db && current.prepared.db !== prepared.db) current.prepared.db.close();
    current = { ecosystems: union, prepared };
    return prepared;
  };
  // Once per provider: sql.js (its WebAssembly compiles off the main thread) and, offline, the db-path file.
  provider.warm = () => {
    if (warmed || current) return;
    warmed = true;
    loadSqlJs().catch(() => {
      /* the DB stage loads it again and reports why it cannot */
    });
    if (opts.settings.dbPath && !opts.prepare) early = openDbPathEarly(opts.settings.dbPath);
  };
  return provider;
}
