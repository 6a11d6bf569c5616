/**
 * What the dpkg analyzers see of the layers as they pass (the reader's visit hook), instead of bodies the
 * reader keeps:
 *
 * - `var/lib/dpkg/status` versions over STATUS_BODY_MAX bytes, parsed as they stream (status-stream.ts), any
 *   size, in memory bounded by the entries, not the file. Smaller versions stay a FileRequest (their bodies
 *   serve attribution as before). Each result is kept per layer blob: which blob is which layer is known only
 *   after the read (ImageView.layersOfBlob).
 * - `var/lib/dpkg/info/*.list` (the files each package installed), at most LIST_MAX bytes each: in deep mode
 *   the whole body (package `files`), up to LISTS_KEPT_MAX bytes for all of them; otherwise — and past that
 *   budget — only the lines naming Python metadata (`-info`, `.egg`), which is all the pip analyzer's OS
 *   ownership looks at. So light mode keeps a few bytes per list, not the lists.
 *
 * Shared by os/dpkg and lang/pip (one visitor, DPKG_VISIT's key), so each list is read once for both.
 */
import type { FileVisitor, MergedView, VisitedFile } from '../../../image/types.js';
import type { Mode } from '../../../model/report.js';
import { errorText } from '../../../util/error-text.js';
import type { AnalyzerVisit } from '../../types.js';
import type { DpkgParse } from './status.js';
import { DpkgStatusStream } from './status-stream.js';

export const DPKG_STATUS = 'var/lib/dpkg/status';
export const DPKG_INFO = 'var/lib/dpkg/info/';
/** Status versions up to this size are kept by the reader (a FileRequest); bigger ones are parsed as they pass. */
export const STATUS_BODY_MAX = 4 * 1024 * 1024;
/** A .list bigger than this is not read (a real one is at most a few MiB: texlive's is ~10 MiB). */
export const LIST_MAX = 16 * 1024 * 1024;
/** Deep mode: bytes of whole .list bodies kept together; past it, only their Python metadata lines. */
export const LISTS_KEPT_MAX = 256 * 1024 * 1024;
/** A line of a .list longer than this names no real path (PATH_MAX is 4096): skipped. */
const LIST_LINE_MAX = 64 * 1024;

export function isDpkgList(path: string): boolean {
  return path.startsWith(DPKG_INFO) && path.endsWith('.list') && !path.slice(DPKG_INFO.length).includes('/');
}

/** One version of the status file as the visitor read it. */
export interface StatusSeen {
  parse: DpkgParse | null;
  /** Why it could not be read to its end (parse is then null). */
  error: string | null;
}

/** One version of a .list: the whole body (`full`), or only its Python metadata lines. */
export interface ListSeen {
  body: Buffer;
  full: boolean;
}

const NEEDLES = ['-info', '.egg'];

/** The complete lines of b[s, e) that hold a needle, appended to out (line end included). */
function keepHitLines(b: Buffer, s: number, e: number, out: Buffer[]): void {
  let pos = s;
  for (;;) {
    let hit = -1;
    for (const n of NEEDLES) {
      const at = b.indexOf(n, pos);
      if (at >= 0 && at < e && (hit < 0 || at < hit)) hit = at;
    }
    if (hit < 0) return;
    const start = b.lastIndexOf(0x0a, hit) + 1;
    let end = b.indexOf(0x0a, hit);
    end = end < 0 || end >= e ? e : end + 1;
    if (end - Math.max(start, s) <= LIST_LINE_MAX) out.push(Buffer.from(b.subarray(Math.max(start, s), end)));
    pos = end;
    if (pos >= e) return;
  }
}

/** The Python metadata lines of a .list, read chunk by chunk (bounded by the longest line kept). */
async function hitLines(file: VisitedFile): Promise<Buffer> {
  const out: Buffer[] = [];
  let carry: Buffer | null = null;
  let skipping = false; // inside a line over LIST_LINE_MAX
  for await (const chunk of file.chunks()) {
    let from = 0;
    const nl = chunk.indexOf(0x0a);
    if (carry || skipping) {
      if (nl < 0) {
        if (!skipping) {
          carry = Buffer.concat([carry!, chunk]);
          if (carry.length > LIST_LINE_MAX) {
            carry = null;
            skipping = true;
          }
        }
        continue;
      }
      if (!skipping) {
        const line = Buffer.concat([carry!, chunk.subarray(0, nl + 1)]);
        if (line.length <= LIST_LINE_MAX) keepHitLines(line, 0, line.length, out);
      }
      carry = null;
      skipping = false;
      from = nl + 1;
    }
    const last = chunk.lastIndexOf(0x0a);
    if (last >= from) {
      keepHitLines(chunk, from, last + 1, out);
      from = last + 1;
    }
    if (from < chunk.length) {
      if (chunk.length - from > LIST_LINE_MAX) skipping = true;
      else carry = Buffer.from(chunk.subarray(from));
    }
  }
  if (carry) keepHitLines(carry, 0, carry.length, out);
  return Buffer.concat(out);
}

export class DpkgVisitor implements FileVisitor {
  /** Status versions over STATUS_BODY_MAX, by layer blob (the last one of a blob: as extraction leaves it). */
  readonly statuses = new Map<string, StatusSeen>();
  /** .list versions: path → blob → what was kept. */
  readonly lists = new Map<string, Map<string, ListSeen>>();
  private listBytes = 0;
  /** Deep mode: lists of which only the metadata lines were kept (LISTS_KEPT_MAX reached). */
  listsOverBudget = 0;

  constructor(readonly mode: Mode) {}

  match(path: string, size: number): boolean {
    if (path === DPKG_STATUS) return size > STATUS_BODY_MAX;
    return size <= LIST_MAX && isDpkgList(path);
  }

  async visit(file: VisitedFile): Promise<void> {
    if (file.path === DPKG_STATUS) {
      const s = new DpkgStatusStream();
      try {
        for await (const chunk of file.chunks()) s.write(chunk);
        this.statuses.set(file.blob, { parse: s.end(), error: null });
      } catch (e) {
        this.statuses.set(file.blob, { parse: null, error: errorText(e) });
        throw e;
      }
      return;
    }
    let seen: ListSeen;
    if (this.mode === 'deep' && this.listBytes + file.size <= LISTS_KEPT_MAX) {
      this.listBytes += file.size;
      seen = { body: await file.readAll(), full: true };
    } else {
      if (this.mode === 'deep') this.listsOverBudget++;
      seen = { body: await hitLines(file), full: false };
    }
    let byBlob = this.lists.get(file.path);
    if (!byBlob) this.lists.set(file.path, (byBlob = new Map()));
    byBlob.set(file.blob, seen);
  }

  /** The status version a layer wrote (over STATUS_BODY_MAX), or undefined when none was seen. */
  statusOfLayer(layer: number, layersOfBlob: (blob: string) => number[]): StatusSeen | undefined {
    for (const [blob, seen] of this.statuses) if (layersOfBlob(blob).includes(layer)) return seen;
    return undefined;
  }

  /**
   * The final version of each .list in the merged view (path → what was kept): the one the layer that
   * provides the path wrote. Lists deleted, replaced or written as hard links are not in it.
   */
  finalLists(files: MergedView, layersOfBlob: (blob: string) => number[]): Map<string, ListSeen> {
    const out = new Map<string, ListSeen>();
    for (const [path, byBlob] of this.lists) {
      const e = files.stat(path, false);
      if (e?.type !== 'file' || e.path !== path) continue;
      for (const [blob, seen] of byBlob) {
        if (layersOfBlob(blob).includes(e.layer)) {
          out.set(path, seen);
          break;
        }
      }
    }
    return out;
  }
}

/** The visit os/dpkg and lang/pip share (one visitor per scan under this key). */
export const DPKG_VISIT: AnalyzerVisit = { key: 'os/dpkg', create: (mode) => new DpkgVisitor(mode) };
