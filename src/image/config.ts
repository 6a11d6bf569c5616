/**
 * The image config (application/vnd.oci.image.config.v1+json / docker's image JSON): platform, env, labels,
 * creation time, history and rootfs.diff_ids, and the mapping of each layer to the history entry that made it.
 */
import { isObject } from '../util/is-object.js';
import { ImageError } from './types.js';

export interface HistoryEntry {
  created_by: string | null;
  empty_layer: boolean;
  created: string | null;
  comment: string | null;
}

export interface ImageConfig {
  os: string | null;
  architecture: string | null;
  variant: string | null;
  created: string | null;
  env: string[];
  labels: Record<string, string>;
  history: HistoryEntry[];
  diffIds: string[];
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
/** Longest os / architecture / variant / created kept (they reach the platform and the report). */
const MAX_SCALAR = 256;
const short = (v: unknown): string | null => (typeof v === 'string' ? capText(v, MAX_SCALAR) : null);

export function parseConfig(bytes: Buffer, where: string): ImageConfig {
  let j: unknown;
  try {
    j = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new ImageError('archive_corrupt', `the image config (${where}) is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObject(j)) throw new ImageError('archive_corrupt', `the image config (${where}) is not a JSON object`);
  const inner = isObject(j.config) ? j.config : {};
  const labels: Record<string, string> = {};
  if (isObject(inner.Labels))
    for (const [k, v] of Object.entries(inner.Labels)) if (typeof v === 'string') labels[k] = v;
  const rootfs = isObject(j.rootfs) ? j.rootfs : {};
  return {
    os: short(j.os),
    architecture: short(j.architecture),
    variant: short(j.variant),
    created: short(j.created),
    env: Array.isArray(inner.Env) ? inner.Env.filter((e): e is string => typeof e === 'string') : [],
    labels,
    history: Array.isArray(j.history)
      ? j.history.filter(isObject).map((h) => ({
          created_by: str(h.created_by),
          empty_layer: h.empty_layer === true,
          created: short(h.created),
          comment: str(h.comment),
        }))
      : [],
    diffIds: Array.isArray(rootfs.diff_ids) ? rootfs.diff_ids.filter((d): d is string => typeof d === 'string') : [],
  };
}

/** What the report copies from the config at most: the config is image text, as large as MAX_JSON. */
export const MAX_REPORT_HISTORY = 1024;
export const MAX_REPORT_ENV = 1024;
export const MAX_REPORT_LABELS = 1024;
/** Longest history `created_by` / `comment`, env entry and label value copied (UTF-16 units). */
export const MAX_REPORT_TEXT = 16 * 1024;
/** Longest label key copied (UTF-16 units). */
export const MAX_REPORT_LABEL_KEY = 1024;

/** The config's env, labels and history as the report holds them, and a note when anything was cut. */
export interface ReportConfig {
  env: string[];
  labels: Record<string, string>;
  history: HistoryEntry[];
  /** null when nothing was cut. */
  note: string | null;
}

/** `s` cut to `max` UTF-16 units (no lone surrogate left), with `…` when cut. */
export function capText(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Caps the config's env, labels and history for the report (counts and lengths), saying what was cut. */
export function reportConfig(c: ImageConfig): ReportConfig {
  const cut: string[] = [];
  const text = (s: string | null, max: number, counter: { n: number }): string | null => {
    if (s === null || s.length <= max) return s;
    counter.n++;
    return capText(s, max);
  };
  const hText = { n: 0 };
  const history = c.history.slice(0, MAX_REPORT_HISTORY).map((h) => ({
    created_by: text(h.created_by, MAX_REPORT_TEXT, hText),
    empty_layer: h.empty_layer,
    created: h.created,
    comment: text(h.comment, MAX_REPORT_TEXT, hText),
  }));
  if (c.history.length > MAX_REPORT_HISTORY)
    cut.push(`history: the first ${MAX_REPORT_HISTORY} of ${c.history.length} entries`);
  if (hText.n) cut.push(`${hText.n} history text(s) cut to ${MAX_REPORT_TEXT} characters`);
  const eText = { n: 0 };
  const env = c.env.slice(0, MAX_REPORT_ENV).map((e) => text(e, MAX_REPORT_TEXT, eText)!);
  if (c.env.length > MAX_REPORT_ENV) cut.push(`env: the first ${MAX_REPORT_ENV} of ${c.env.length} entries`);
  if (eText.n) cut.push(`${eText.n} env entr${eText.n === 1 ? 'y' : 'ies'} cut to ${MAX_REPORT_TEXT} characters`);
  const entries = Object.entries(c.labels);
  const lText = { n: 0 };
  const labels: Record<string, string> = {};
  for (const [k, v] of entries.slice(0, MAX_REPORT_LABELS))
    labels[text(k, MAX_REPORT_LABEL_KEY, lText)!] = text(v, MAX_REPORT_TEXT, lText)!;
  if (entries.length > MAX_REPORT_LABELS) cut.push(`labels: the first ${MAX_REPORT_LABELS} of ${entries.length}`);
  if (lText.n)
    cut.push(`${lText.n} label key(s)/value(s) cut to ${MAX_REPORT_LABEL_KEY}/${MAX_REPORT_TEXT} characters`);
  return {
    env,
    labels,
    history,
    note: cut.length ? `the image config is larger than the report copies: ${cut.join('; ')}` : null,
  };
}

/** For each of `layerCount` layers, the index of the history entry that produced it (empty_layer skipped). */
export function historyIndexes(history: HistoryEntry[], layerCount: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let i = 0; i < history.length && out.length < layerCount; i++) if (!history[i]!.empty_layer) out.push(i);
  while (out.length < layerCount) out.push(null);
  return out;
}
