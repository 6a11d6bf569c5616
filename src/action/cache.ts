/** @actions/cache behind the library's CacheStore: failures are the library's to turn into warnings. */
import * as cache from '@actions/cache';
import type { CacheStore } from '../vulndb/cache.js';

export function actionsCacheStore(): CacheStore | null {
  if (!cache.isFeatureAvailable()) return null;
  return {
    restore: async (path, primaryKey, restoreKeys) => cache.restoreCache([path], primaryKey, restoreKeys),
    save: async (path, key) => {
      const id = await cache.saveCache([path], key);
      if (id === -1) throw new Error(`the cache service did not save ${key} (another job may have saved it already)`);
    },
  };
}
