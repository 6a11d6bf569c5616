/** The one way an unknown thrown value becomes text for a message: an Error's message, else String(value). */

/** "ENOSPC: no space left on device, open '…'" → the same; a thrown non-Error → String(it). No stack. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
