/**
 * The `github-token` input checked before it goes into an HTTP header: a token holding a line break, NUL or
 * another control character cannot be sent (fetch refuses the header, and its error would quote the value).
 * The message names the input and what is wrong with it, never the value.
 */
import { hasControlCharacter } from '../util/safe-line.js';

/** null when `value` can be sent as a token (an empty value is "no token", checked by the caller). */
export function tokenInputProblem(input: string, value: string): string | null {
  if (!hasControlCharacter(value)) return null;
  return `input "${input}" holds a control character (a line break, NUL or similar) and cannot be sent to GitHub: set it to the token alone, e.g. \`${input}: \${{ secrets.GITHUB_TOKEN }}\``;
}
