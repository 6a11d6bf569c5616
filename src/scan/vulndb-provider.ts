/**
 * One vulnerability DB per step: the first scan prepares it for the BASE ecosystems it needs (`Debian`, not
 * only `Debian:12`: OSV publishes one archive per base, so every release of it comes at no extra download);
 * later scans whose bases it already covers reuse it (a step scanning 20 images of one distribution loads the
 * DB once); a scan that needs a new base prepares the union.
 */
import type { Logger } from '../util/logger.js';
import { baseEcosystem } from '../vulndb/ecosystems.js';
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
    const bases = ecosystems.map(baseEcosystem);
    if (current?.prepared.db && bases.every((e) => current!.ecosystems.has(e))) {
      opts.logger.info(`reusing the vulnerability DB prepared for ${[...current.ecosystems].join(', ')}`);
      return current.prepared;
    }
    const union = new Set([...(current?.ecosystems ?? []), ...bases]);
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
