/**
 * One vulnerability DB per step: the first scan prepares it for its ecosystems; later scans whose
 * ecosystems it already covers reuse it (a step scanning 20 images loads the DB once); a scan that needs more
 * prepares the union.
 */
import type { Logger } from '../util/logger.js';
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
    if (current && current.prepared.db && ecosystems.every((e) => current!.ecosystems.has(e))) return current.prepared;
    const union = new Set([...(current?.ecosystems ?? []), ...ecosystems]);
    const prepared = await prepare({ ...opts, ecosystems: [...union].sort(), ...(signal ? { signal } : {}) });
    if (current?.prepared.db && current.prepared.db !== prepared.db) current.prepared.db.close();
    current = { ecosystems: union, prepared };
    return prepared;
  };
}
