/**
 * What matching derives from a record once and reuses (its vulnerability units and ids, the group it makes
 * alone, its reference URLs, its summary line), kept per record object in ONE WeakMap entry. The store hands
 * out the same object for a record on every lookup, and records are never modified after they are read.
 *
 * One entry per record rather than one WeakMap per fact: every WeakMap entry whose key is a young object is
 * extra work for each young-generation collection, and with six maps that cost more than the facts saved
 * when 20,000 freshly read records go through one match.
 */
import type { OsvRecord } from '../vulndb/types.js';

export interface Unit {
  readonly keys: readonly string[];
  readonly labels: readonly string[];
}

/** A record that stands for one vulnerability alone: its headline id and its other ids (sorted). */
export interface Solo {
  readonly id: string;
  readonly aliases: readonly string[];
}

/** Each fact is undefined until first computed. */
export interface RecordFacts {
  units: readonly Unit[] | undefined;
  ids: ReadonlySet<string> | undefined;
  solo: Solo | undefined;
  urls: readonly string[] | undefined;
  /** The trimmed summary, null when missing or blank. */
  summary: string | null | undefined;
  /** The first non-blank line of the details, trimmed and cut at 200 characters; null when none. */
  line: string | null | undefined;
}

const facts = new WeakMap<OsvRecord, RecordFacts>();

export function factsOf(record: OsvRecord): RecordFacts {
  let f = facts.get(record);
  if (!f) {
    f = { units: undefined, ids: undefined, solo: undefined, urls: undefined, summary: undefined, line: undefined };
    facts.set(record, f);
  }
  return f;
}
