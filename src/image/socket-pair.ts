/**
 * A connected pair of unix stream sockets, so that a child process can write its stdout into a socket this
 * process reads with `onread` (child_process's own pipes cannot take that option). The rendezvous is a socket
 * file in a fresh private folder (mode 0700, so only this user can connect), removed as soon as the pair is
 * connected: nothing stays on disk. Returns null where that cannot be done (Windows, an unusable temp folder);
 * the caller then uses an ordinary pipe.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** sun_path is 104 bytes on macOS, 108 on Linux. */
const MAX_SOCKET_PATH = 100;
/** The pair connects locally within milliseconds; past this something is wrong and the pipe is used instead. */
const CONNECT_TIMEOUT_MS = 5_000;

export interface SocketPair {
  /** Our end, read with the given `onread`. */
  ours: net.Socket;
  /** The end to hand to the child as its stdout (destroy ours after the spawn). */
  theirs: net.Socket;
}

export async function socketPair(onread: net.OnReadOpts): Promise<SocketPair | null> {
  if (process.platform === 'win32') return null;
  let dir: string | null = null;
  for (const base of [tmpdir(), '/tmp']) {
    try {
      const d = mkdtempSync(join(base, 'scanrook-'));
      if (join(d, 's').length <= MAX_SOCKET_PATH) {
        dir = d;
        break;
      }
      rmSync(d, { recursive: true, force: true });
    } catch {
      // try the next folder
    }
  }
  if (dir === null) return null;
  const path = join(dir, 's');
  const server = net.createServer({ pauseOnConnect: true });
  let ours: net.Socket | null = null;
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    const accepted = new Promise<net.Socket>((resolve, reject) => {
      server.once('connection', resolve);
      server.once('error', reject);
    });
    ours = net.connect({ path, onread });
    const connected = new Promise<void>((resolve, reject) => {
      ours!.once('connect', () => resolve());
      ours!.once('error', reject);
    });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('socket pair: no connection')), CONNECT_TIMEOUT_MS);
    });
    const [theirs] = await Promise.race([Promise.all([accepted, connected]), timeout]);
    return { ours, theirs };
  } catch {
    ours?.destroy();
    return null;
  } finally {
    clearTimeout(timer);
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
