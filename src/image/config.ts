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
    os: str(j.os),
    architecture: str(j.architecture),
    variant: str(j.variant),
    created: str(j.created),
    env: Array.isArray(inner.Env) ? inner.Env.filter((e): e is string => typeof e === 'string') : [],
    labels,
    history: Array.isArray(j.history)
      ? j.history.filter(isObject).map((h) => ({
          created_by: str(h.created_by),
          empty_layer: h.empty_layer === true,
          created: str(h.created),
          comment: str(h.comment),
        }))
      : [],
    diffIds: Array.isArray(rootfs.diff_ids) ? rootfs.diff_ids.filter((d): d is string => typeof d === 'string') : [],
  };
}

/** For each of `layerCount` layers, the index of the history entry that produced it (empty_layer skipped). */
export function historyIndexes(history: HistoryEntry[], layerCount: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let i = 0; i < history.length && out.length < layerCount; i++) if (!history[i]!.empty_layer) out.push(i);
  while (out.length < layerCount) out.push(null);
  return out;
}
