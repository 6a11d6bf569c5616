/**
 * The reader's budgets over a whole image (all layers, all versions), so that a hostile image cannot exhaust
 * memory with many small things that each pass their own cap: layers listed (as overlayfs mounts at most
 * 127 lower layers), entries and name bytes indexed, and the bodies kept for FileRequests.
 */

/** Most layers read, as overlayfs stacks at most 127 lower layers (Docker cannot run a deeper image either). */
export const MAX_LAYERS = 127;
/**
 * Most entries indexed over all layers (each distinct layer counted once), and most entries applied by the
 * merge over the layers as listed. Real images hold well under a million; the index costs ~170 B an entry.
 */
export const MAX_TOTAL_ENTRIES = 4_000_000;
/** Most path bytes (UTF-16 units, bytes for ASCII names) over the entries indexed, all layers together. */
export const MAX_TOTAL_NAME_BYTES = 256 * 1024 * 1024;
/**
 * Most body bytes kept for FileRequests over all layers and versions (package DBs, lockfiles, manifests):
 * the largest single request is 64 MiB, a real image keeps a few tens of MiB in all.
 */
export const MAX_KEPT_BYTES = 512 * 1024 * 1024;

/** Thrown inside a layer's indexing when an image-wide cap is reached: the layer keeps what was read. */
export class LimitError extends Error {}

/** What is used of the image-wide budgets, shared by the layers being indexed (concurrently). */
export class ReadLimits {
  entries = 0;
  nameBytes = 0;
  keptBytes = 0;
  /** The first cap reached, as a sentence (later layers stop at their first entry). */
  reached: string | null = null;

  constructor(
    readonly maxEntries = MAX_TOTAL_ENTRIES,
    readonly maxNameBytes = MAX_TOTAL_NAME_BYTES,
    readonly maxKeptBytes = MAX_KEPT_BYTES,
  ) {}

  /** Count one entry of `nameLength` units; throws LimitError once a cap is passed. */
  entry(nameLength: number): void {
    if (this.reached) throw new LimitError(this.reached);
    this.entries++;
    this.nameBytes += nameLength;
    if (this.entries > this.maxEntries) {
      this.reached = `the image's layers hold more than ${this.maxEntries.toLocaleString('en-US')} entries, the reader's cap`;
    } else if (this.nameBytes > this.maxNameBytes) {
      this.reached = `the image's entry names take more than ${this.maxNameBytes / 2 ** 20} MiB, the reader's cap`;
    }
    if (this.reached) throw new LimitError(this.reached);
  }

  /** Reserve `size` bytes for a kept body; false (nothing reserved) when the budget would be passed. */
  keep(size: number): boolean {
    if (this.keptBytes + size > this.maxKeptBytes) return false;
    this.keptBytes += size;
    return true;
  }
}
