/**
 * The merged file view: layers applied in manifest order, as an extraction would, but in memory and without
 * touching the disk. Whiteouts (`.wh.<name>`) and opaque markers (`.wh..wh..opq`) remove what lower layers
 * wrote; a non-folder replaces a folder with everything under it; parents reached through symlinks are
 * followed inside the image root (as `docker load` does inside its chroot). Symlinks never lead outside the
 * root: absolute targets start at the image root and `..` stops there; more than MAX_HOPS links is a loop.
 *
 * Bodies are held only for wanted files (see FileRequest). `read()` follows symlinks to the real path and
 * returns the body of the real file if that path was requested: requests match the real stored path, so an
 * analyzer that knows a file can live under two names (Fedora's `var/lib/rpm` → `usr/lib/sysimage/rpm`)
 * should request both.
 */
import type { Logger } from '../util/logger.js';
import { type LayerIndex, wantedMax } from './layer-index.js';
import { basenameOf, containPath, dirnameOf, joinPath } from './paths.js';
import type { FileEntry, FileRequest, FileVersion, MergedView } from './types.js';

/** A caller's path: NULs dropped; `/`, `.` and `..` are handled by the resolver (symlink-aware). */
function clean(p: string): string {
  return p.replace(/\0/g, '');
}

export const MAX_HOPS = 40;

interface Node {
  entry: FileEntry | null;
  children: Map<string, Node> | null;
  /** Body of a wanted file (null: over its size cap or unknown); undefined when the file was not wanted. */
  body?: Buffer | null;
}

function dirNode(entry: FileEntry | null): Node {
  return { entry, children: new Map() };
}

function parts(p: string): string[] {
  return p === '' ? [] : p.split('/');
}

export class MergedTree implements MergedView {
  private readonly root: Node = dirNode(null);
  private readonly versionMap = new Map<string, FileVersion[]>();
  private wantedCache: string[] | null = null;
  private count = -1;

  /** Real path → node, without following anything. */
  private lookup(path: string): Node | undefined {
    let n: Node | undefined = this.root;
    for (const c of parts(path)) {
      n = n.children?.get(c);
      if (!n) return undefined;
    }
    return n;
  }

  /**
   * Resolve `path` (already contained: relative, no `.`; `..` allowed) through symlinks inside the root.
   * Missing components are kept as written. undefined after MAX_HOPS links (a loop).
   */
  private resolveContained(path: string, followLast: boolean): string | undefined {
    // linear in the components: the path's are taken in order (index i), a symlink's target components are
    // pushed reversed onto `pending` and taken first; no shift/unshift, no path rebuilt per component
    const comps = path.split('/').filter((s) => s !== '' && s !== '.');
    const pending: string[] = [];
    let i = 0;
    const stack: string[] = [];
    const nodes: (Node | undefined)[] = [this.root];
    let hops = 0;
    while (pending.length > 0 || i < comps.length) {
      const c = pending.length > 0 ? pending.pop()! : comps[i++]!;
      if (c === '..') {
        if (stack.length > 0) {
          stack.pop();
          nodes.pop();
        }
        continue;
      }
      const parent = nodes[nodes.length - 1];
      const child = parent?.children?.get(c);
      if (child?.entry?.type === 'symlink' && (pending.length > 0 || i < comps.length || followLast)) {
        if (++hops > MAX_HOPS) return undefined;
        const target = child.entry.linkname ?? '';
        if (target.startsWith('/')) {
          stack.length = 0;
          nodes.length = 1;
        }
        const t = target.split('/');
        for (let j = t.length - 1; j >= 0; j--) if (t[j] !== '' && t[j] !== '.') pending.push(t[j]!);
        continue;
      }
      stack.push(c);
      nodes.push(child);
    }
    return stack.join('/');
  }

  /** The folder node at a real path, creating implicit folders (and replacing non-folders) on the way. */
  private ensureDir(path: string, layer: number): Node {
    let n = this.root;
    if (path === '') return n;
    // one pass over the path: a created folder's own path is a slice of it, not a join per component
    let start = 0;
    for (;;) {
      let end = path.indexOf('/', start);
      if (end === -1) end = path.length;
      const c = path.slice(start, end);
      let child = n.children!.get(c);
      if (!child?.children) {
        child = dirNode({ path: path.slice(0, end), type: 'dir', size: 0, mode: 0o755, linkname: null, layer });
        n.children!.set(c, child);
      }
      n = child;
      if (end === path.length) return n;
      start = end + 1;
    }
  }

  /**
   * Apply one layer on top of what is there. `stop` (the time limit) is asked every few thousand entries;
   * false when it stopped the layer part way. `last`: the index is not applied again (a layer listed several
   * times is applied at each listing), so its entry objects may be kept as the view's own.
   */
  apply(layer: number, index: LayerIndex, logger: Logger, stop?: () => boolean, last = false): boolean {
    this.wantedCache = null;
    this.count = -1;
    // whiteouts and opaque markers hide what the lower layers wrote, never this layer's own entries
    for (const op of index.ops) {
      if (op.op === 'whiteout') {
        const parent = this.resolveContained(dirnameOf(op.path), true);
        if (parent === undefined) continue;
        this.lookup(parent)?.children?.delete(basenameOf(op.path));
      } else if (op.op === 'opaque') {
        const dir = this.resolveContained(op.dir, true);
        if (dir === undefined) continue;
        this.lookup(dir)?.children?.clear();
      }
    }
    // resolved parent folders: entries of a layer come grouped by folder. Resolution depends only on the
    // symlinks in the tree, so the cache is dropped whenever a symlink may appear or vanish.
    const parents = new Map<string, string>();
    // the folder node of the previous entry's parent (valid while `parents` is: see where both are dropped)
    let lastParentPath: string | null = null;
    let lastParent: Node | null = null;
    let n = 0;
    for (const op of index.ops) {
      if (stop && (++n & 4095) === 0 && stop()) return false;
      if (op.op !== undefined) continue;
      const e = op;
      const dir = dirnameOf(e.path);
      let parentPath = parents.get(dir);
      if (parentPath === undefined) {
        const resolved = this.resolveContained(dir, true);
        parentPath = resolved ?? dir;
        // a link loop: ensureDir below may replace a link on the way, so nothing is cached
        if (resolved === undefined) {
          parents.clear();
          lastParentPath = null;
        } else parents.set(dir, parentPath);
      }
      const name = basenameOf(e.path);
      const real = parentPath === dir ? e.path : joinPath(parentPath, name);
      // the layer's last merge: its entry object becomes the view's (one object per entry, not two)
      let entry: FileEntry;
      if (last && real === e.path && e.layer < 0) {
        e.layer = layer;
        entry = e;
      } else entry = { path: real, type: e.type, size: e.size, mode: e.mode, linkname: e.linkname, layer };
      let body: Buffer | null | undefined;
      if (e.type === 'hardlink') {
        const tpath = this.resolveContained(e.linkTarget!, false);
        const target = tpath === undefined ? undefined : this.lookup(tpath);
        if (!target?.entry || (target.entry.type !== 'file' && target.entry.type !== 'hardlink')) {
          logger.debug(`layer ${layer}: hard link ${e.path} -> ${e.linkname} has no file to point to; ignored`);
          continue;
        }
        entry.size = target.entry.size;
        const wb = index.bodies.get(e.path);
        if (wb) {
          if (!wb.linkTarget) body = wb.body;
          else if (target.body !== undefined) body = target.body;
          else {
            body = null;
            logger.warn(`layer ${layer}: ${e.path} is a hard link to ${e.linkname}, whose content was not read`);
          }
        }
      } else if (e.type === 'file') {
        const wb = index.bodies.get(e.path);
        if (wb) body = wb.body;
      }
      const parent: Node = parentPath === lastParentPath ? lastParent! : this.ensureDir(parentPath, layer);
      lastParentPath = parentPath;
      lastParent = parent;
      const existing = parent.children!.get(name);
      if (e.type === 'dir' && existing?.children) {
        existing.entry = entry; // a folder over a folder keeps what is inside
        continue;
      }
      if (e.type === 'symlink' || existing?.entry?.type === 'symlink' || existing?.children) {
        parents.clear();
        lastParentPath = null; // a folder replaced here may be the cached parent or hold it
      }
      const node: Node = e.type === 'dir' ? dirNode(entry) : { entry, children: null };
      if (body !== undefined) {
        node.body = body;
        const list = this.versionMap.get(real) ?? [];
        const v: FileVersion = { layer, body, size: body ? body.length : entry.size };
        if (list.length > 0 && list[list.length - 1]!.layer === layer) list[list.length - 1] = v;
        else list.push(v);
        this.versionMap.set(real, list);
      }
      parent.children!.set(name, node);
    }
    return true;
  }

  /**
   * Requested files reached only through symlinks (`var/lib/dpkg` a link to a folder, `status` a link to a
   * file): paths under a symlink of the final view that a request matches, leading to a file whose body was not
   * kept (its real path matched no request). Folders reached through links inside a linked folder are walked
   * too (up to MAX_HOPS deep); at most `maxProbes` paths are tried (`cut` when more were left).
   */
  aliasedUnread(
    requests: readonly FileRequest[],
    maxProbes: number,
  ): { found: { alias: string; real: string; layer: number; size: number; max: number }[]; cut: boolean } {
    const found: { alias: string; real: string; layer: number; size: number; max: number }[] = [];
    if (requests.length === 0) return { found, cut: false };
    const links: string[] = [];
    const dirs: [string, Node][] = [['', this.root]];
    while (dirs.length > 0) {
      const [p, n] = dirs.pop()!;
      for (const [name, c] of n.children!) {
        const cp = p ? `${p}/${name}` : name;
        if (c.entry?.type === 'symlink') links.push(cp);
        else if (c.children) dirs.push([cp, c]);
      }
    }
    const seen = new Set<string>();
    let probes = 0;
    /** false once the probe budget is spent */
    const probe = (alias: string): boolean => {
      if (++probes > maxProbes) return false;
      const max = wantedMax(requests, alias);
      if (max === null) return true;
      const real = this.resolveContained(alias, true);
      if (real === undefined || real === alias || seen.has(real)) return true;
      const n = this.lookup(real);
      if (n?.entry && (n.entry.type === 'file' || n.entry.type === 'hardlink') && n.body === undefined) {
        seen.add(real);
        found.push({ alias, real, layer: n.entry.layer, size: n.entry.size, max });
      }
      return true;
    };
    for (const link of links) {
      const real = this.resolveContained(link, true);
      const target = real === undefined ? undefined : real === '' ? this.root : this.lookup(real);
      if (!target) continue;
      if (!target.children) {
        if (!probe(link)) return { found, cut: true };
        continue;
      }
      const stack: [string, Node, number][] = [[link, target, 0]];
      while (stack.length > 0) {
        const [alias, dir, depth] = stack.pop()!;
        for (const [name, c] of dir.children!) {
          // every node visited counts (links to ancestors would otherwise re-walk folders without end)
          if (++probes > maxProbes) return { found, cut: true };
          const a = `${alias}/${name}`;
          if (c.children) stack.push([a, c, depth]);
          else if (c.entry?.type === 'symlink' && depth < MAX_HOPS) {
            const r = this.resolveContained(a, true);
            const t = r === undefined ? undefined : this.lookup(r);
            if (t?.children) stack.push([a, t, depth + 1]);
            else if (!probe(a)) return { found, cut: true };
          } else if (!probe(a)) return { found, cut: true };
        }
      }
    }
    return { found, cut: false };
  }

  /** Give a file found by aliasedUnread its body (read in a second pass), as the version of its layer. */
  setBody(real: string, layer: number, body: Buffer | null): void {
    const n = this.lookup(real);
    if (!n?.entry) return;
    n.body = body;
    const list = this.versionMap.get(real) ?? [];
    list.push({ layer, body, size: body ? body.length : n.entry.size });
    this.versionMap.set(real, list);
    this.wantedCache = null;
  }

  stat(path: string, followSymlinks = true): FileEntry | undefined {
    const real = this.resolveContained(clean(path), followSymlinks);
    if (real === undefined) return undefined;
    if (real === '') return { path: '', type: 'dir', size: 0, mode: 0o755, linkname: null, layer: 0 };
    return this.lookup(real)?.entry ?? undefined;
  }

  read(path: string): Buffer | null | undefined {
    const real = this.resolveContained(clean(path), true);
    if (real === undefined) return undefined;
    const n = this.lookup(real);
    if (!n?.entry || (n.entry.type !== 'file' && n.entry.type !== 'hardlink')) return undefined;
    return n.body;
  }

  versions(path: string): FileVersion[] {
    const p = containPath(path);
    const real = this.resolveContained(clean(path), true);
    return [...(this.versionMap.get(real ?? p) ?? this.versionMap.get(p) ?? [])];
  }

  wanted(): string[] {
    if (!this.wantedCache) {
      // every path that ever got a body is in versionMap (a few hundred, against tens of thousands of
      // entries): those whose node is still there and still holds a body are the wanted files
      const out: string[] = [];
      for (const path of this.versionMap.keys()) {
        const n = this.lookup(path);
        if (n?.entry?.path === path && n.body !== undefined) out.push(path);
      }
      this.wantedCache = out.sort();
    }
    return [...this.wantedCache];
  }

  private *walk(): Generator<[Node]> {
    const stack: Node[] = [this.root];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.entry) yield [n];
      if (n.children) for (const c of n.children.values()) stack.push(c);
    }
  }

  *entries(): IterableIterator<FileEntry> {
    for (const [n] of this.walk()) yield n.entry!;
  }

  resolve(path: string): string | undefined {
    return this.resolveContained(clean(path), true);
  }

  get fileCount(): number {
    if (this.count < 0) {
      // the same nodes as walk() visits, counted without a generator step per node
      let c = 0;
      const stack: Node[] = [this.root];
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (n.entry) c++;
        if (n.children) for (const ch of n.children.values()) stack.push(ch);
      }
      this.count = c;
    }
    return this.count;
  }
}
