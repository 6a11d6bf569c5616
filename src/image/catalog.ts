/**
 * The members of an image container (outer tar, OCI layout folder, or a streamed archive), seen the same way
 * by the format resolver: normalised member paths, link members followed, small JSON members readable.
 */
import { promises as fsp } from 'node:fs';
import { join, sep } from 'node:path';
import type { BlobKind } from './compression.js';
import type { LayerIndex } from './layer-index.js';
import { linkTarget, normalizeEntryPath } from './paths.js';
import type { PositionalFile } from './tar-seek.js';
import { ImageError } from './types.js';

/** Largest JSON member (manifest, index, config) we read. */
export const MAX_JSON = 32 * 1024 * 1024;

export interface Catalog {
  /** The canonical member path (link members followed), or null when absent. */
  find(path: string): string | null;
  size(member: string): number;
  readBytes(member: string): Promise<Buffer>;
  /** Every member path (files only), for messages. */
  list(): string[];
}

export async function readJson(cat: Catalog, member: string, what: string): Promise<unknown> {
  if (cat.size(member) > MAX_JSON)
    throw new ImageError('archive_corrupt', `${what} (${member}) is too large to be JSON metadata`);
  const b = await cat.readBytes(member);
  try {
    return JSON.parse(b.toString('utf8'));
  } catch (e) {
    throw new ImageError('archive_corrupt', `${what} (${member}) is not valid JSON: ${(e as Error).message}`);
  }
}

/** Shared link handling: members that are symlinks / hard links to other members. */
abstract class LinkedCatalog implements Catalog {
  readonly links = new Map<string, string>();
  protected abstract has(path: string): boolean;
  abstract size(member: string): number;
  abstract readBytes(member: string): Promise<Buffer>;
  abstract list(): string[];

  find(path: string): string | null {
    let p = normalizeEntryPath(path);
    for (let i = 0; i < 40 && p !== null; i++) {
      if (this.has(p)) return p;
      const next = this.links.get(p);
      if (next === undefined) return null;
      p = next;
    }
    return null;
  }
}

export interface ArchiveMember {
  offset: number;
  size: number;
}

/** Members of an outer tar file read in seekable mode. */
export class ArchiveCatalog extends LinkedCatalog {
  readonly members = new Map<string, ArchiveMember>();
  constructor(readonly file: PositionalFile) {
    super();
  }
  protected has(p: string): boolean {
    return this.members.has(p);
  }
  size(m: string): number {
    return this.members.get(m)?.size ?? 0;
  }
  async readBytes(m: string): Promise<Buffer> {
    const mem = this.members.get(m);
    if (!mem) throw new ImageError('archive_corrupt', `${m} is not in the archive`);
    return Buffer.from(await this.file.read(mem.offset, mem.size));
  }
  list(): string[] {
    return [...this.members.keys()];
  }
  addLink(path: string, target: string, hard: boolean): void {
    const t = hard ? normalizeEntryPath(target) : linkTarget(path, target);
    if (t !== null) this.links.set(path, t);
  }
}

/** An OCI layout (or extracted docker save) folder. Members never resolve outside the folder. */
export class FolderCatalog extends LinkedCatalog {
  private readonly files = new Map<string, { full: string; size: number }>();
  constructor(readonly root: string) {
    super();
  }

  /** Walk the folder (following nothing outside it). */
  async scan(): Promise<void> {
    const rootReal = await fsp.realpath(this.root);
    const walk = async (rel: string, depth: number): Promise<void> => {
      if (depth > 16) return;
      const dir = rel ? join(rootReal, rel) : rootReal;
      for (const d of await fsp.readdir(dir, { withFileTypes: true })) {
        const r = rel ? `${rel}/${d.name}` : d.name;
        const full = join(rootReal, r);
        if (d.isDirectory()) await walk(r, depth + 1);
        else if (d.isFile()) this.files.set(r, { full, size: (await fsp.stat(full)).size });
        else if (d.isSymbolicLink()) {
          let real: string;
          try {
            real = await fsp.realpath(full);
          } catch {
            continue; // dangling
          }
          if (real !== rootReal && !real.startsWith(rootReal + sep)) continue; // leads out of the folder
          const st = await fsp.stat(real);
          if (st.isFile()) this.files.set(r, { full: real, size: st.size });
        }
      }
    };
    await walk('', 0);
  }
  protected has(p: string): boolean {
    return this.files.has(p);
  }
  fullPath(m: string): string {
    return this.files.get(m)!.full;
  }
  size(m: string): number {
    return this.files.get(m)?.size ?? 0;
  }
  async readBytes(m: string): Promise<Buffer> {
    const f = this.files.get(m);
    if (!f) throw new ImageError('archive_corrupt', `${m} is not in the folder`);
    return fsp.readFile(f.full);
  }
  list(): string[] {
    return [...this.files.keys()];
  }
}

/** A member of a streamed archive: small metadata kept, layer candidates indexed as they passed. */
export interface StreamMember {
  size: number;
  kind: BlobKind;
  bytes?: Buffer;
  layer?: { index: LayerIndex; error: string | null; eofMarker: boolean };
}

export class StreamCatalog extends LinkedCatalog {
  readonly members = new Map<string, StreamMember>();
  protected has(p: string): boolean {
    return this.members.has(p);
  }
  size(m: string): number {
    return this.members.get(m)?.size ?? 0;
  }
  async readBytes(m: string): Promise<Buffer> {
    const mem = this.members.get(m);
    if (!mem?.bytes) {
      throw new ImageError(
        'archive_corrupt',
        `${m} is not metadata (${mem ? `a ${mem.kind} blob of ${mem.size} bytes` : 'absent'})`,
      );
    }
    return mem.bytes;
  }
  list(): string[] {
    return [...this.members.keys()];
  }
  addLink(path: string, target: string, hard: boolean): void {
    const t = hard ? normalizeEntryPath(target) : linkTarget(path, target);
    if (t !== null) this.links.set(path, t);
  }
}
