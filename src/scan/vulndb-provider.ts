/**
 * One vulnerability DB per step: the first scan prepares it for the BASE ecosystems it needs (`Debian`, not
 * only `Debian:12`: OSV publishes one archive per base, so every release of it comes at no extra download);
 * later scans whose bases it already covers reuse it (a step scanning 20 images of one distribution loads the
 * DB once); a scan that needs a new base prepares the union.
 */
import type { Logger } from '../util/logger.js';
import { baseEcosystem } from '../vulndb/ecosystems.js';
import { prepareVulnDb } from '../vulndb/prepare.js';
import type { PreparedVulnDb, PrepareVulnDbOptions } from '../vulndb/prepare.js';

export type VulnDbProvider = (ecosystems: readonly string[], signal?: AbortSignal) => Promise<PreparedVulnDb>;

export interface ProviderOptions extends Omit<PrepareVulnDbOptions, 'ecosystems' | 'signal' | 'logger'> {
  logger: Logger;
  /** Injected for tests; defaults to prepareVulnDb. */
  prepare?: (opts: PrepareVulnDbOptions) => Promise<PreparedVulnDb>;
}

export function vulnDbProvider(opts: ProviderOptions): VulnDbProvider {
  const prepare = opts.prepare ?? prepareVulnDb;
  let current: { ecosystems: Set<string>; prepared: PreparedVulnDb } | null = null;
  return async (ecosystems, signal) => {
    const bases = ecosystems.map(baseEcosystem);
    if (current && current.prepared.db && bases.every((e) => current!.ecosystems.has(e))) {
      opts.logger.info(`reusing the vulnerability DB prepared for ${[...current.ecosystems].join(', ')}`);
      return current.prepared;
    }
    const union = new Set([...(current?.ecosystems ?? []), ...bases]);
    const prepared = await prepare({ ...opts, ecosystems: [...union].sort(), ...(signal ? { signal } : {}) });
    if (current?.prepared.db && current.prepared.db !== prepared.db) current.prepared.db.close();
    current = { ecosystems: union, prepared };
    return prepared;
  };
}
