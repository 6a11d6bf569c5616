/**
 * What a failed `docker save` said, in our reason codes. Docker prints one-line errors on stderr; the texts
 * below were seen from Docker 20.10 (Debian 12) and Docker 26 (Debian 13) engines with the 20.10, 26 and
 * 28 CLIs (see test/docker/). The CLI's message is always quoted to the user as is.
 */

/** The daemon (or the socket) could not be reached: the CLI is there, the engine is not. */
const UNREACHABLE: RegExp[] = [
  /Cannot connect to the Docker daemon/i,
  /Is the docker daemon running\?/i,
  /permission denied while trying to connect/i,
  /error during connect/i,
  /dial unix [^:]*: connect:/i,
  /connection refused/i,
  /no such host/i,
  /Failed to initialize: unable to resolve docker endpoint/i,
];

/** The daemon answered: it has no such image (or the reference cannot name one). */
const NOT_FOUND: RegExp[] = [
  /No such image/i,
  /reference does not exist/i,
  /An image does not exist locally/i,
  /invalid reference format/i,
  /failed to get digest sha256:/i,
  /: not found\b/i,
  /\bnot found\b/i,
];

export type DockerFailure = 'docker_unavailable' | 'image_not_found' | null;

/** Classify docker's stderr; null when it is neither an unreachable daemon nor a missing image. */
export function classifyDockerError(stderr: string): DockerFailure {
  // An answer from the daemon ("Error response from daemon: ...") means the daemon is reachable.
  const daemonAnswered = /Error response from daemon/i.test(stderr);
  if (!daemonAnswered && UNREACHABLE.some((r) => r.test(stderr))) return 'docker_unavailable';
  if (NOT_FOUND.some((r) => r.test(stderr))) return 'image_not_found';
  if (UNREACHABLE.some((r) => r.test(stderr))) return 'docker_unavailable';
  return null;
}

/** The meaningful part of docker's stderr for a message: trimmed, last lines, bounded. */
export function dockerMessage(stderr: string, max = 2000): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  let text = lines.slice(-5).join(' | ');
  if (text.length > max) text = '…' + text.slice(text.length - max);
  return text;
}
