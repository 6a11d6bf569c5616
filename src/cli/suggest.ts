/** "Did you mean": the closest of the known words to a mistyped one, when it is close enough to be the intent. */

/** Edit distance (insertions, deletions, substitutions, and a swap of two neighbours counting one). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known word closest to `typed` (case-insensitive), if within a third of its length (at least 1, at most 3); a prefix counts too. */
export function closest(typed: string, known: readonly string[]): string | null {
  const t = typed.toLowerCase();
  if (t.length > 100) return null;
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) {
    const d = k.startsWith(t) && t.length >= 3 ? 0.5 : editDistance(t, k.toLowerCase());
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  const limit = Math.min(3, Math.max(1, Math.floor(t.length / 3)));
  return best !== null && bestD <= limit ? best : null;
}

/** ` (did you mean --severity-threshold?)`, or '' when nothing is close. */
export function didYouMean(typed: string, known: readonly string[]): string {
  const c = closest(typed, known);
  return c ? ` (did you mean ${c}?)` : '';
}
