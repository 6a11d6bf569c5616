/**
 * Parsers for the kinds of value settings take (lists, booleans, choices, durations, sizes, counts, URLs), and
 * the InputError they throw. Pure: no @actions import, no file system. Each names the setting, the bad value
 * and what it accepts, so the same wording reaches the job log and the terminal whatever the setting; how the
 * setting is named (`mode`, `--mode`) is the caller's: see InputError.
 */

export class InputError extends Error {
  constructor(
    /** The setting's name as its front end spells it: the action input `mode`, the CLI flag `--mode`. */
    readonly input: string,
    /** The value (or the list item) that was rejected. */
    readonly value: string,
    /** What the input accepts, in words (`"light" or "deep"`). */
    readonly accepts: string,
    /** Replaces the standard wording when the problem is not one value (a missing pair of inputs). */
    message?: string,
  ) {
    super(message ?? `${subjectOf(input)} must be ${accepts}, got ${JSON.stringify(value)}`);
    this.name = 'InputError';
  }
}

/** A flag (`--mode`) names itself; an action input is quoted (`Input "mode"`). */
function subjectOf(input: string): string {
  return input.startsWith('-') ? input : `Input "${input}"`;
}

/**
 * Items of a list setting, each trimmed, empty items dropped, duplicates kept once. Text (an action input) is
 * split at newlines and/or commas; items that come apart already (a repeated CLI flag) are not split again.
 */
export function parseList(raw: string | readonly string[]): string[] {
  const out: string[] = [];
  for (const part of typeof raw === 'string' ? raw.split(/[\n\r,]/) : raw) {
    const item = part.trim();
    if (item !== '' && !out.includes(item)) out.push(item);
  }
  return out;
}

const TRUE = new Set(['true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0']);
export const BOOLEAN_ACCEPTS = 'true/false, yes/no or 1/0';

export function parseBoolean(input: string, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new InputError(input, raw, BOOLEAN_ACCEPTS);
}

/** One of a fixed set of words, case-insensitive; returns the word as spelled in `allowed`. */
export function parseChoice<T extends string>(input: string, raw: string, allowed: readonly T[]): T {
  const v = raw.trim().toLowerCase();
  const hit = allowed.find((a) => a === v);
  if (hit !== undefined) return hit;
  throw new InputError(input, raw, describeChoices(allowed));
}

/** `"a" or "b"`, `one of "a", "b", "c"`. */
export function describeChoices(allowed: readonly string[]): string {
  const q = allowed.map((a) => `"${a}"`);
  if (q.length === 2) return `${q[0]} or ${q[1]}`;
  return `one of ${q.join(', ')}`;
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
export const DURATION_ACCEPTS =
  'a duration such as "90s", "15m", "2h", "3d", "1h30m" or plain seconds ("600"); "0" means no limit';

/**
 * A duration in whole seconds. Forms: plain seconds (`600`), or one or more number+unit parts with units
 * s, m, h, d (`90s`, `15m`, `1.5h`, `1h30m`). Case-insensitive. The total is rounded to the second; a
 * non-zero duration that rounds to 0 is refused (0 means "no limit" and must be asked for as `0`).
 */
export function parseDuration(input: string, raw: string): number {
  const v = raw.trim().toLowerCase();
  let seconds: number;
  if (/^\d+(\.\d+)?$/.test(v)) {
    seconds = Number(v);
  } else if (/^(\d+(\.\d+)?[smhd])+$/.test(v)) {
    seconds = 0;
    for (const m of v.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)) seconds += Number(m[1]) * DURATION_UNITS[m[2]!]!;
  } else {
    throw new InputError(input, raw, DURATION_ACCEPTS);
  }
  const rounded = Math.round(seconds);
  if (!Number.isSafeInteger(rounded)) throw new InputError(input, raw, DURATION_ACCEPTS + ' (this one is too long)');
  if (rounded === 0 && seconds > 0)
    throw new InputError(input, raw, DURATION_ACCEPTS + ' (this one is under a second)');
  return rounded;
}

/**
 * Size units. Decimal (SI) units are powers of 1000 and binary (IEC) units, spelled with an `i`, powers of
 * 1024 — the way disks and registries (decimal) and `docker images` sizes (decimal too) are written.
 * A bare `K`/`M`/`G`/`T` is the decimal unit. Case-insensitive; `B` alone is bytes.
 */
const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  ki: 1024,
  kib: 1024,
  mi: 1024 ** 2,
  mib: 1024 ** 2,
  gi: 1024 ** 3,
  gib: 1024 ** 3,
  ti: 1024 ** 4,
  tib: 1024 ** 4,
};
export const SIZE_ACCEPTS =
  'a size such as "512MB", "10GB", "1.5G", "512MiB", "2GiB" or plain bytes (KB/MB/GB/TB are powers of 1000, KiB/MiB/GiB/TiB powers of 1024); "0" means no limit';

/** A size in whole bytes (rounded); a non-zero size that rounds to 0 bytes is refused. */
export function parseSize(input: string, raw: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(raw.trim().toLowerCase());
  const unit = m ? SIZE_UNITS[m[2]!] : undefined;
  if (!m || unit === undefined) throw new InputError(input, raw, SIZE_ACCEPTS);
  const exact = Number(m[1]) * unit;
  const bytes = Math.round(exact);
  if (!Number.isSafeInteger(bytes)) throw new InputError(input, raw, SIZE_ACCEPTS + ' (this one is too large)');
  if (bytes === 0 && exact > 0) throw new InputError(input, raw, SIZE_ACCEPTS + ' (this one is under a byte)');
  return bytes;
}

export const COUNT_ACCEPTS = 'a whole number, 0 or more ("0" means no limit)';

/** A non-negative whole number written in plain digits. */
export function parseCount(input: string, raw: string): number {
  const v = raw.trim();
  if (!/^\d+$/.test(v)) throw new InputError(input, raw, COUNT_ACCEPTS);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new InputError(input, raw, COUNT_ACCEPTS + ' (this one is too large)');
  return n;
}

export const PROBABILITY_ACCEPTS = 'a number from 0 to 1 (such as "0.5" or "0.05"), or "none" (no EPSS gate)';

/** A probability threshold (EPSS): a decimal in [0, 1]; `none` or empty is null (no gate). */
export function parseProbability(input: string, raw: string): number | null {
  const v = raw.trim().toLowerCase();
  if (v === '' || v === 'none') return null;
  if (!/^(?:0(?:\.\d+)?|1(?:\.0+)?|\.\d+)$/.test(v)) throw new InputError(input, raw, PROBABILITY_ACCEPTS);
  return Number(v);
}

/** An http(s) base URL; trailing slashes are dropped so paths can be appended. */
export function parseHttpUrl(input: string, v: string): string {
  let url: URL | null = null;
  try {
    url = new URL(v);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '') {
    throw new InputError(
      input,
      v,
      'an http(s) URL without query or fragment, such as "https://osv-vulnerabilities.storage.googleapis.com"',
    );
  }
  return v.replace(/\/+$/, '');
}
