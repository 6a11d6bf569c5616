/** @actions/cache behind the library's CacheStore: failures are the library's to turn into warnings. */
import * as cache from '@actions/cache';
import type { CacheStore } from '../vulndb/cache.js';

export function actionsCacheStore(): CacheStore | null {
  if (!cache.isFeatureAvailable()) return null;
  return {
    restore: async (path, primaryKey, restoreKeys) => cache.restoreCache([path], primaryKey, restoreKeys),
    save: async (path, key) => {
      const id = await cache.saveCache([path], key);
      if (id !== -1) return;
      // -1 is both "the key exists already" (another job saved it first) and a failure (service down, upload
      // refused), which @actions/cache only logs. Ask the service which, so a failure is not reported as a race.
      const there = await cache.restoreCache([path], key, [], { lookupOnly: true }).catch(() => undefined);
      if (there === key) throw new Error(`${key} exists already in the cache (another job saved it first)`);
      throw new Error(`the cache service did not save ${key} (see the cache messages above)`);
    },
  };
}
