/**
 * Which image an archive holds, and how: the layout (docker-archive, docker-oci-archive, oci-archive,
 * oci-layout), the image picked (by ref, by platform), its config and its layers in order. Works on any
 * Catalog, so a file, a folder and a stream resolve the same way.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_PLATFORM } from '../model/settings.js';
import { fmtBytes } from '../util/bytes.js';
import { isObject } from '../util/is-object.js';
import type { Logger } from '../util/logger.js';
import { type Catalog, MAX_JSON, readJson } from './catalog.js';
import { type ImageConfig, parseConfig } from './config.js';
import { formatPlatform, matchPlatform, type Platform, parsePlatform } from './platform.js';
import { describeRefs, refMatches } from './refs.js';
import { ImageError, type ReadOptions } from './types.js';

export interface ResolvedLayer {
  /** The member path the manifest names. */
  path: string;
  /** The canonical member path, or null when the archive lacks it. */
  member: string | null;
  digest: string | null;
  diffId: string | null;
  mediaType: string | null;
  size: number;
}

export interface ResolvedImage {
  format: 'docker-archive' | 'docker-oci-archive' | 'oci-archive' | 'oci-layout';
  refs: string[];
  manifestDigest: string | null;
  imageId: string | null;
  platform: string | null;
  selection: string | null;
  config: ImageConfig;
  layers: ResolvedLayer[];
}

interface Candidate {
  refs: string[];
  manifestDigest: string | null;
  platform: Platform | null;
  configPath: string;
  layers: { path: string; digest: string | null; mediaType: string | null; size: number | null }[];
}

type Json = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function blobPath(digest: string): string | null {
  const m = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/.exec(digest);
  return m ? `blobs/${m[1]}/${m[2]}` : null;
}

function digestOfPath(path: string): string | null {
  const m = /(?:^|\/)blobs\/([a-z0-9]+)\/([a-f0-9]{32,})$/.exec(path);
  return m ? `${m[1]}:${m[2]}` : null;
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

/** Candidates from `manifest.json` (docker save, both layouts). */
async function dockerCandidates(cat: Catalog, member: string): Promise<Candidate[]> {
  const man = await readJson(cat, member, 'manifest.json');
  if (!Array.isArray(man)) throw new ImageError('archive_corrupt', 'manifest.json is not a list of images');
  return man.map((e, i) => {
    if (
      !isObject(e) ||
      typeof e.Config !== 'string' ||
      !Array.isArray(e.Layers) ||
      !e.Layers.every((l) => typeof l === 'string')
    ) {
      throw new ImageError('archive_corrupt', `manifest.json entry ${i + 1} has no Config or Layers`);
    }
    const sources = isObject(e.LayerSources) ? e.LayerSources : {};
    const refs = Array.isArray(e.RepoTags) ? e.RepoTags.filter((t): t is string => typeof t === 'string') : [];
    return {
      refs,
      manifestDigest: null,
      platform: null,
      configPath: e.Config,
      layers: (e.Layers as string[]).map((p) => {
        const digest = digestOfPath(p);
        const src = digest ? sources[digest] : undefined;
        return {
          path: p,
          digest,
          mediaType: isObject(src) ? str(src.mediaType) : null,
          size: isObject(src) && typeof src.size === 'number' ? src.size : null,
        };
      }),
    };
  });
}

function annotationRefs(desc: Json, inherited: string[]): string[] {
  const ann = isObject(desc.annotations) ? desc.annotations : {};
  const out = [...inherited];
  for (const k of ['io.containerd.image.name', 'org.opencontainers.image.ref.name']) {
    const v = str(ann[k]);
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

function isAttestation(desc: Json): boolean {
  const ann = isObject(desc.annotations) ? desc.annotations : {};
  const p = isObject(desc.platform) ? desc.platform : {};
  return ann['vnd.docker.reference.type'] === 'attestation-manifest' || p.os === 'unknown';
}

/**
 * Most descriptors followed through the indexes of one archive (a multi-platform image names a few dozen):
 * nested indexes naming each other many times would otherwise multiply into millions of candidates.
 */
export const MAX_INDEX_DESCRIPTORS = 4096;

/**
 * Candidates from `index.json` (OCI layout), following nested indexes. Each nested index is followed once
 * (an index named again adds nothing; one that names itself or an index holding it is a cycle), each
 * manifest read once, the descriptors followed capped at MAX_INDEX_DESCRIPTORS, the abort signal honoured.
 */
async function ociCandidates(cat: Catalog, logger: Logger, signal?: AbortSignal): Promise<Candidate[]> {
  const idx = await readJson(cat, cat.find('index.json')!, 'index.json');
  if (!isObject(idx)) throw new ImageError('archive_corrupt', 'index.json is not a JSON object');
  const out: Candidate[] = [];
  const bodies = new Map<string, Json>();
  const followed = new Set<string>();
  const open = new Set<string>();
  let descriptors = 0;
  const visit = async (list: unknown, refs: string[], depth: number, where: string): Promise<void> => {
    if (list === null || list === undefined) return;
    if (!Array.isArray(list)) throw new ImageError('archive_corrupt', `${where} has a "manifests" that is not a list`);
    for (const d of list) {
      if (signal?.aborted) {
        throw new ImageError('collection_time_limit_exceeded', 'the time limit stopped the read of the image indexes');
      }
      if (++descriptors > MAX_INDEX_DESCRIPTORS) {
        throw new ImageError(
          'archive_corrupt',
          `the image indexes name more than ${MAX_INDEX_DESCRIPTORS} manifests: the index fan-out is over the cap`,
        );
      }
      if (!isObject(d) || typeof d.digest !== 'string')
        throw new ImageError('archive_corrupt', `${where} has a descriptor without digest`);
      if (isAttestation(d)) continue;
      if (open.has(d.digest)) {
        throw new ImageError(
          'archive_corrupt',
          `${where} names index ${d.digest}, which holds it: the indexes form a cycle`,
        );
      }
      if (followed.has(d.digest)) {
        logger.debug(`${where} names index ${d.digest} again: followed once`);
        continue;
      }
      let body = bodies.get(d.digest);
      if (!body) {
        const bp = blobPath(d.digest);
        const member = bp ? cat.find(bp) : null;
        if (!member)
          throw new ImageError('archive_corrupt', `${where} names manifest ${d.digest}, which is not in the archive`);
        const parsed = await readJson(cat, member, `manifest ${d.digest}`);
        if (!isObject(parsed)) throw new ImageError('archive_corrupt', `manifest ${d.digest} is not a JSON object`);
        body = parsed;
        bodies.set(d.digest, body);
      }
      const r = annotationRefs(d, refs);
      const mt = str(d.mediaType) ?? str(body.mediaType);
      if ((mt && INDEX_TYPES.has(mt)) || Array.isArray(body.manifests)) {
        if (depth >= 4) throw new ImageError('archive_corrupt', 'image indexes nest too deep');
        followed.add(d.digest);
        open.add(d.digest);
        await visit(body.manifests, r, depth + 1, `index ${d.digest}`);
        open.delete(d.digest);
        continue;
      }
      if (!isObject(body.config) || typeof body.config.digest !== 'string') {
        logger.debug(`skipping ${d.digest}: not an image manifest`);
        continue;
      }
      const layers = Array.isArray(body.layers) ? body.layers : [];
      out.push({
        refs: r,
        manifestDigest: d.digest,
        platform: isObject(d.platform) ? parsePlatformObj(d.platform) : null,
        configPath: blobPath(body.config.digest) ?? body.config.digest,
        layers: layers.map((l, i) => {
          if (!isObject(l) || typeof l.digest !== 'string') {
            throw new ImageError('archive_corrupt', `manifest ${d.digest}: layer ${i + 1} has no digest`);
          }
          return {
            path: blobPath(l.digest) ?? l.digest,
            digest: l.digest,
            mediaType: str(l.mediaType),
            size: typeof l.size === 'number' ? l.size : null,
          };
        }),
      });
    }
  };
  await visit(idx.manifests, [], 0, 'index.json');
  return out;
}

function parsePlatformObj(p: Json): Platform | null {
  const os = str(p.os);
  const arch = str(p.architecture);
  if (!os || !arch) return null;
  return { os, arch, variant: str(p.variant) };
}

/** Pick the image and read its config. `folder`: the catalog is an OCI layout folder. */
export async function resolveImage(
  cat: Catalog,
  opts: ReadOptions,
  logger: Logger,
  folder: boolean,
): Promise<ResolvedImage> {
  const manifestJson = cat.find('manifest.json');
  const indexJson = cat.find('index.json');
  const ociLayout = cat.find('oci-layout');
  if (!manifestJson && !indexJson) {
    const names = cat.list();
    const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? `, … (${names.length} in all)` : '');
    throw new ImageError(
      'unsupported_media_type',
      names.length === 0
        ? 'not a container image: the archive is empty'
        : `not a container image archive: no manifest.json or index.json (found ${shown})`,
    );
  }
  let format: ResolvedImage['format'];
  let candidates: Candidate[];
  if (manifestJson) {
    format = indexJson && ociLayout ? 'docker-oci-archive' : 'docker-archive';
    candidates = await dockerCandidates(cat, manifestJson);
    if (indexJson) {
      // Docker 25+: the OCI index knows the manifest digests (and the platforms)
      try {
        const oci = await ociCandidates(cat, logger, opts.signal);
        for (const c of candidates) {
          const o = oci.find((x) => x.configPath === c.configPath);
          if (o) {
            c.manifestDigest = o.manifestDigest;
            c.platform = o.platform;
            for (const l of c.layers)
              l.mediaType = l.mediaType ?? o.layers.find((x) => x.path === l.path)?.mediaType ?? null;
          }
        }
      } catch (e) {
        logger.debug(`index.json next to manifest.json could not be used: ${(e as Error).message}`);
      }
    }
  } else {
    format = folder ? 'oci-layout' : 'oci-archive';
    candidates = await ociCandidates(cat, logger, opts.signal);
  }
  if (candidates.length === 0) throw new ImageError('image_not_found', 'the archive holds no image manifest');

  const notes: string[] = [];
  // 1. by ref
  if (opts.ref) {
    const hit = candidates.filter((c) => c.refs.some((r) => refMatches(r, opts.ref!)));
    if (hit.length === 0) {
      throw new ImageError(
        'image_not_found',
        `no image named ${opts.ref} in the archive; it holds ${describeRefs(candidates.map((c) => c.refs))}`,
      );
    }
    if (candidates.length > 1) notes.push(`ref ${opts.ref} matched ${hit.length} of ${candidates.length} images`);
    candidates = hit;
  }
  // 2. by platform (from the descriptors; else from the configs)
  const want = parsePlatform(opts.platform ?? DEFAULT_PLATFORM);
  const configs = new Map<Candidate, ImageConfig>();
  const configOf = async (c: Candidate): Promise<ImageConfig> => {
    let cfg = configs.get(c);
    if (!cfg) {
      const m = cat.find(c.configPath);
      if (!m) throw new ImageError('archive_corrupt', `the image config ${c.configPath} is not in the archive`);
      if (cat.size(m) > MAX_JSON) {
        throw new ImageError(
          'archive_corrupt',
          `the image config (${c.configPath}) is too large to be JSON metadata: ${fmtBytes(cat.size(m))}, over the ${fmtBytes(MAX_JSON)} cap`,
        );
      }
      const bytes = await cat.readBytes(m);
      cfg = parseConfig(bytes, c.configPath);
      configs.set(c, cfg);
    }
    return cfg;
  };
  if (candidates.length > 1) {
    const plats = new Map<Candidate, Platform | null>();
    for (const c of candidates) {
      const cfg = c.platform ? null : await configOf(c);
      plats.set(
        c,
        c.platform ??
          (cfg?.os && cfg.architecture ? { os: cfg.os, arch: cfg.architecture, variant: cfg.variant } : null),
      );
    }
    const distinct = new Set([...plats.values()].map((p) => (p ? formatPlatform(p) : '?')));
    if (distinct.size > 1) {
      const hit = matchPlatform(candidates, (c) => plats.get(c) ?? null, want);
      if (hit.length === 0) {
        throw new ImageError(
          'image_not_found',
          `no image for platform ${formatPlatform(want)} in the archive; it has ${[...distinct].join(', ')}`,
        );
      }
      notes.push(`platform ${formatPlatform(want)} picked from ${[...distinct].join(', ')}`);
      candidates = hit;
    }
  }
  if (candidates.length > 1) {
    const sameImage = candidates.every((c) => c.configPath === candidates[0]!.configPath);
    if (!sameImage) {
      throw new ImageError(
        'image_not_found',
        `the archive holds ${candidates.length} images (${describeRefs(candidates.map((c) => c.refs))}); choose one by its ref`,
      );
    }
  }
  const pick = candidates[0]!;
  const config = await configOf(pick);
  const cfgMember = cat.find(pick.configPath)!;
  const imageId = `sha256:${createHash('sha256')
    .update(await cat.readBytes(cfgMember))
    .digest('hex')}`;
  const platform =
    config.os && config.architecture
      ? formatPlatform({ os: config.os, arch: config.architecture, variant: config.variant })
      : pick.platform
        ? formatPlatform(pick.platform)
        : null;
  if (notes.length === 0 && platform && matchPlatform([platform], parsePlatform, want).length === 0) {
    notes.push(
      `the archive's only image is ${platform}, not ${formatPlatform(want)}${opts.platform ? '' : ' (the default)'}; it was read anyway`,
    );
  }
  if (config.diffIds.length !== pick.layers.length) {
    logger.warn(
      `the image config lists ${config.diffIds.length} layer digests but the manifest ${pick.layers.length} layers`,
    );
  }
  const layers: ResolvedLayer[] = pick.layers.map((l, i) => {
    const member = cat.find(l.path);
    return {
      path: l.path,
      member,
      digest: l.digest,
      diffId: config.diffIds[i] ?? null,
      mediaType: l.mediaType,
      size: member ? cat.size(member) : (l.size ?? 0),
    };
  });
  return {
    format,
    refs: pick.refs,
    manifestDigest: pick.manifestDigest,
    imageId,
    platform,
    selection: notes.length ? notes.join('; ') : null,
    config,
    layers,
  };
}
