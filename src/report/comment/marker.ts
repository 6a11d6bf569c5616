/**
 * The hidden marker that finds our PR comment again: `<!-- scanrook:<id> -->`, where the id names the
 * workflow and job (and matrix leg) so each job keeps its own comment. Pure.
 */

/** The id reduced to characters that cannot end or break an HTML comment (no `-->`, `--`, `>`, spaces). */
export function sanitizeMarkerId(id: string): string {
  const s = id
    .replace(/[^A-Za-z0-9._:/=+@-]/g, '_')
    .replace(/-{2,}/g, '-')
    .slice(0, 200);
  return s.replace(/-$/, '_') || 'default';
}

/** `<!-- scanrook:<id> -->` for a marker id. */
export function markerComment(id: string): string {
  return `<!-- scanrook:${sanitizeMarkerId(id)} -->`;
}

/**
 * A marker id from the run's identity: workflow name (or file), job id, and an optional discriminator
 * (matrix values, a `comment-id` input). Example: `markerId('CI', 'scan', 'linux/arm64')` → `CI/scan/linux/arm64`.
 */
export function markerId(workflow: string, job: string, extra?: string | null): string {
  return sanitizeMarkerId([workflow, job, extra].filter((x) => x).join('/'));
}

/** What starts every marker, whatever its id. */
const MARKER_START = '<!-- scanrook:';

/**
 * Whether a comment body is ours for `marker` (a `markerComment`): its first line is exactly the marker, and
 * no other marker appears anywhere in it. A marker quoted further down (an image tag, a path, a person's
 * reply) never makes a body ours, and a body holding two markers is nobody's: such a body was not written by
 * us (our renderers entity-escape `<` in untrusted text), so it is never edited.
 */
export function isMarkedBody(body: string, marker: string): boolean {
  const nl = body.indexOf('\n');
  const first = (nl < 0 ? body : body.slice(0, nl)).replace(/\r$/, '');
  if (first !== marker) return false;
  return body.indexOf(MARKER_START, marker.length) < 0;
}
