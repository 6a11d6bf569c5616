/**
 * Generators of small hostile archives, built in memory without ../shared: tar members, a docker-save
 * archive from layer tars, an OCI image archive from blobs and an index.json.
 */
import { createHash } from 'node:crypto';
import { BLOCK, header, paxHeader, paxRecord } from './tar-edit.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** One tar member (PAX path when the name does not fit the 100-byte field), body padded. */
export function tarMember(name: string, body: Buffer | string = '', typeflag = '0'): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  const pad = Buffer.alloc((BLOCK - (b.length % BLOCK)) % BLOCK);
  const size = typeflag === '0' ? b.length : 0;
  const head = header(Buffer.byteLength(name) <= 100 ? name : 'long', { size, typeflag });
  const parts = Buffer.byteLength(name) <= 100 ? [head] : [paxHeader(paxRecord('path', name)), head];
  return typeflag === '0' ? Buffer.concat([...parts, b, pad]) : Buffer.concat(parts);
}

export function tarOf(members: readonly Buffer[]): Buffer {
  return Buffer.concat([...members, Buffer.alloc(2 * BLOCK)]);
}

/** A legacy docker-save archive holding one image of these (uncompressed) layer tars. */
export function dockerSave(layers: readonly Buffer[], tag = 'hostile/test:1'): Buffer {
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: layers.map((l) => `sha256:${sha(l)}`) },
    history: layers.map((_, i) => ({ created_by: `layer ${i}` })),
  });
  const cfg = `${sha(config)}.json`;
  const names = layers.map((l) => `${sha(l)}/layer.tar`);
  const manifest = JSON.stringify([{ Config: cfg, RepoTags: [tag], Layers: names }]);
  return tarOf([
    tarMember(cfg, config),
    ...layers.map((l, i) => tarMember(names[i]!, l)),
    tarMember('manifest.json', manifest),
  ]);
}

export interface Blob {
  digest: string;
  body: Buffer;
}

export function blob(body: Buffer | string): Blob {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  return { digest: `sha256:${sha(b)}`, body: b };
}

/** An OCI image archive: oci-layout, index.json and the blobs. */
export function ociArchive(index: unknown, blobs: readonly Blob[]): Buffer {
  return tarOf([
    tarMember('oci-layout', '{"imageLayoutVersion":"1.0.0"}'),
    tarMember('index.json', JSON.stringify(index)),
    ...blobs.map((b) => tarMember(`blobs/sha256/${b.digest.slice(7)}`, b.body)),
  ]);
}

/**
 * A legacy docker-save archive whose manifest lists the given distinct layer tars in the order `listing`
 * gives (indexes into `layers`, repeats allowed: a layer listed many times).
 */
export function dockerSaveListed(
  layers: readonly Buffer[],
  listing: readonly number[],
  tag = 'hostile/listed:1',
): Buffer {
  const ids = layers.map((l) => sha(l));
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: listing.map((i) => `sha256:${ids[i]}`) },
    history: listing.map((_, i) => ({ created_by: `layer ${i}` })),
  });
  const cfg = `${sha(config)}.json`;
  const names = ids.map((id) => `${id}/layer.tar`);
  const manifest = JSON.stringify([{ Config: cfg, RepoTags: [tag], Layers: listing.map((i) => names[i]!) }]);
  return tarOf([
    tarMember(cfg, config),
    ...layers.map((l, i) => tarMember(names[i]!, l)),
    tarMember('manifest.json', manifest),
  ]);
}

/** A layer tar of `count` empty files named `<dir>/<i>` (headers only). */
export function manyFilesLayer(count: number, dir = 'f'): Buffer {
  const out: Buffer[] = [tarMember(`${dir}/`, '', '5')];
  for (let i = 0; i < count; i++) out.push(tarMember(`${dir}/${i}`));
  return tarOf(out);
}
