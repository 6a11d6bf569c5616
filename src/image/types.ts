/**
 * The contract between the image reader and everything above it. The reader turns an input (a `docker save`
 * stream, an archive file, an OCI layout folder) into an ImageView: the image config and history, the layers,
 * and the merged file view (layers applied in order with whiteouts), holding the bodies of only the files an
 * analyzer asked for.
 */
import type { ReasonCodeOfStage } from '../model/reasons.js';
import type { LayerInfo, TargetInfo } from '../model/report.js';

/** A request for files: analyzers declare them before the read; the reader keeps the matching bodies. */
export interface FileRequest {
  /** Path inside the image, relative, without a leading slash (`var/lib/dpkg/status`). */
  match(path: string): boolean;
  /** Largest body kept; bigger files are recorded (with `truncated: true`) but not read. */
  maxSize: number;
}

/**
 * A regular file offered to a visitor while its layer is read (every version, in every layer, also files a later
 * layer deletes). The reader keeps nothing of it: the visitor reads what it needs before its promise settles.
 */
export interface VisitedFile {
  readonly path: string;
  /**
   * The layer blob it came from (the archive member or folder file of the layer). Streamed archives may carry
   * the layers before the manifest, so the layer number is known only after the read: ImageView.layersOfBlob.
   */
  readonly blob: string;
  readonly size: number;
  readonly mode: number;
  /** Up to n first bytes (fewer when the file is shorter), without consuming them. */
  head(n: number): Promise<Buffer>;
  /** The whole body (the visitor has checked the size against its own budget). */
  readAll(): Promise<Buffer>;
  /** The body as chunks in order; the visitor may stop early. Only one of readAll and chunks, once. */
  chunks(): AsyncIterable<Buffer>;
  /** Random access when the layer lies uncompressed in a file (bytes [offset, offset+len)); null otherwise. */
  readonly readAt: ((offset: number, len: number) => Promise<Buffer>) | null;
}

/** Something that looks at files as they stream past (YARA, binaries), instead of asking the reader to keep them. */
export interface FileVisitor {
  /** Decided on the tar header alone: is this file wanted? Called for every regular file: keep it cheap. */
  match(path: string, size: number, mode: number): boolean;
  visit(file: VisitedFile): void | Promise<void>;
}

export type EntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

export interface FileEntry {
  /** Normalised relative path (`usr/bin/x`). */
  path: string;
  type: EntryType;
  size: number;
  mode: number;
  /** Symlink or hardlink target as written in the archive. */
  linkname: string | null;
  /** Index of the layer that provides this path in the merged view. */
  layer: number;
}

/** One version of a wanted file, as a given layer wrote it. */
export interface FileVersion {
  layer: number;
  /** null when the file was bigger than the request's maxSize. */
  body: Buffer | null;
  size: number;
}

export interface MergedView {
  /** The entry at a path after symlink resolution inside the image root (loops bounded), or undefined. */
  stat(path: string, followSymlinks?: boolean): FileEntry | undefined;
  /** The final body of a wanted file (symlinks resolved); undefined if absent, null if over its size cap. */
  read(path: string): Buffer | null | undefined;
  /** Every version of a wanted path written by the layers, lowest layer first (for attribution). */
  versions(path: string): FileVersion[];
  /** Wanted files present in the final view (real paths, not symlink aliases). */
  wanted(): string[];
  /** All entries of the final view. */
  entries(): IterableIterator<FileEntry>;
  /** Resolve a path through symlinks inside the root; returns the real path or undefined when it escapes a loop. */
  resolve(path: string): string | undefined;
  readonly fileCount: number;
}

export interface LayerProblem {
  /** archive_corrupt: a layer (or the archive) could not be read fully; collection_time_limit_exceeded:
   *  the read was stopped by the time limit (ReadOptions.signal) before the end. */
  code: 'archive_corrupt' | 'collection_time_limit_exceeded';
  layer: number | null;
  message: string;
}

export interface ImageView {
  target: TargetInfo;
  layers: LayerInfo[];
  files: MergedView;
  /** Layers that could not be read fully (→ archive_corrupt; partial when others were read). */
  problems: LayerProblem[];
  /** The layer numbers (0 = lowest) that a blob named by VisitedFile.blob is; empty when not a layer of this image. */
  layersOfBlob(blob: string): number[];
  /** What the reader says of the read besides problems (e.g. the config's env/labels/history cut for the report). */
  notes?: string[];
}

/** Errors the reader raises carry a reason code, so the job can report them. */
export class ImageError extends Error {
  constructor(
    /** The reasons the reader raises: the registry's input and image stages, and the scan's time limit. */
    readonly code: ReasonCodeOfStage<'input' | 'image'> | 'collection_time_limit_exceeded',
    message: string,
  ) {
    super(message);
    this.name = 'ImageError';
  }
}

export interface ReadOptions {
  requests: FileRequest[];
  /** Called for matching regular files as the layers are read (nothing kept); awaited, so they pace the read. */
  visitors?: FileVisitor[];
  /** os/arch[/variant], default linux/amd64. */
  platform?: string;
  /** Pick one image from an archive holding several, by ref. */
  ref?: string;
  /** Bytes; 0 = no limit. */
  maxImageSize?: number;
  signal?: AbortSignal;
  /** Progress callback (bytes read so far). */
  onProgress?: (bytes: number) => void;
  /**
   * The image-wide budgets, default MAX_TOTAL_ENTRIES, MAX_TOTAL_NAME_BYTES and MAX_KEPT_BYTES (limits.ts):
   * entries and name bytes indexed over all layers, body bytes kept for the requests over all layers.
   */
  budgets?: { entries?: number; nameBytes?: number; keptBytes?: number };
}
