/**
 * A bounded memo of one scheme's parse results, keyed by the version string, so that comparing the same
 * version many times (an installed version against every event of every advisory, an advisory's events while
 * sorting them) parses it once.
 *
 * Bounded: two generations of at most `perGeneration` entries each. Lookups hit the young generation, then
 * the old one (a hit there moves the entry to the young one); when the young generation is full it becomes
 * the old one and the previous old one is dropped. So at most 2 × perGeneration entries are held, and what
 * was used recently stays (an approximate LRU without per-hit bookkeeping).
 *
 * Failures are cached too, as the reason only: a cached failure is thrown again as a new
 * UnparsableVersionError naming the caller's ecosystem, exactly as the parser would have thrown it. Only
 * UnparsableVersionErrors about the string itself are cached; anything else passes through uncached.
 *
 * The parsed values are shared between callers: the comparison functions that receive them only read them.
 * The schemes' exported `parseX` functions stay uncached and return fresh values.
 */
import { UnparsableVersionError } from './errors.js';

class Failure {
  constructor(readonly reason: string) {}
}

/** Entries per generation (a cache holds at most twice this). */
export const PARSE_CACHE_GENERATION = 8192;

export type Parser<T> = (version: string, ecosystem: string) => T;

/** A caching wrapper of `parse` (which must be deterministic in the version string; the ecosystem only labels errors). */
export function cachedParser<T>(parse: Parser<T>, perGeneration = PARSE_CACHE_GENERATION): Parser<T> {
  let young = new Map<string, T | Failure>();
  let old = new Map<string, T | Failure>();
  const put = (v: string, value: T | Failure): void => {
    if (young.size >= perGeneration) {
      old = young;
      young = new Map();
    }
    young.set(v, value);
  };
  return (v: string, ecosystem: string): T => {
    let hit = young.get(v);
    if (hit === undefined) {
      hit = old.get(v);
      if (hit !== undefined) put(v, hit);
    }
    if (hit === undefined) {
      let value: T;
      try {
        value = parse(v, ecosystem);
      } catch (e) {
        if (e instanceof UnparsableVersionError && e.version === v && e.ecosystem === ecosystem)
          put(v, new Failure(e.reason));
        throw e;
      }
      put(v, value);
      return value;
    }
    if (hit instanceof Failure) throw new UnparsableVersionError(ecosystem, v, hit.reason);
    return hit;
  };
}
