/**
 * A stand-in for OSV's bucket on 127.0.0.1 serving real records: `/<Eco>/all.zip`, `/<Eco>/modified_id.csv`
 * (built from the records' own `modified`, newest first, as OSV's exporter writes it) and `/<Eco>/<id>.json`.
 * Paths can be made to misbehave (status, hang, connection reset mid-body, truncated body). Every request is
 * logged so tests can check each one.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { unzipSync, zipSync } from 'fflate';

export type Misbehaviour = { status: number } | 'hang' | 'reset' | 'truncate';

export interface Folder {
  zip: Uint8Array;
  /** id → record bytes, from the zip. */
  records: Map<string, Uint8Array>;
  csv: string;
}

export function folderFromZip(zip: Uint8Array): Folder {
  const files = unzipSync(zip);
  const records = new Map<string, Uint8Array>();
  const rows: { modified: string; id: string }[] = [];
  for (const [name, bytes] of Object.entries(files)) {
    if (!name.endsWith('.json')) continue;
    try {
      const d = JSON.parse(new TextDecoder().decode(bytes)) as { id: string; modified: string };
      records.set(d.id, bytes);
      rows.push({ modified: d.modified, id: d.id });
    } catch {
      /* a corrupt record in a test zip: served in the zip only */
    }
  }
  const ms = (s: string) => {
    const t = Date.parse(s);
    return Number.isNaN(t) ? 0 : t;
  };
  rows.sort((a, b) => ms(b.modified) - ms(a.modified) || (a.id < b.id ? -1 : 1));
  return { zip, records, csv: rows.map((r) => `${new Date(ms(r.modified)).toISOString()},${r.id}`).join('\n') + '\n' };
}

/** A zip of the given entries (name → bytes), like OSV's (deflated, flat). */
export function makeZip(entries: Record<string, Uint8Array>): Uint8Array {
  return zipSync(entries, { level: 6 });
}

export class BucketServer {
  readonly requests: string[] = [];
  readonly folders = new Map<string, Folder>();
  readonly misbehave = new Map<string, Misbehaviour>();
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req.url ?? '/', res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    this.url = `http://127.0.0.1:${addr.port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private handle(rawPath: string, res: ServerResponse): void {
    this.requests.push(rawPath);
    const path = decodeURIComponent(rawPath);
    const m = /^\/([^/]+)\/([^/]+)$/.exec(path);
    const bad = this.misbehave.get(rawPath) ?? (m ? this.misbehave.get(`/${m[1]}/*`) : undefined);
    const folder = m ? this.folders.get(m[1]!) : undefined;
    let body: Uint8Array | undefined;
    if (m && folder) {
      const file = m[2]!;
      if (file === 'all.zip') body = folder.zip;
      else if (file === 'modified_id.csv') body = new TextEncoder().encode(folder.csv);
      else if (file.endsWith('.json')) body = folder.records.get(file.slice(0, -5));
    }
    if (bad === 'hang') return; // never answers
    if (bad && typeof bad === 'object') {
      res.writeHead(bad.status, { 'content-type': 'text/plain' });
      res.end(`error ${bad.status}`);
      return;
    }
    if (!body) {
      res.writeHead(404, { 'content-type': 'application/xml' });
      res.end('<Error><Code>NoSuchKey</Code></Error>');
      return;
    }
    if (bad === 'reset') {
      res.writeHead(200, { 'content-length': String(body.length) });
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return;
    }
    if (bad === 'truncate') body = body.subarray(0, Math.floor(body.length * 0.6));
    res.writeHead(200, { 'content-length': String(body.length) });
    res.end(body);
  }
}
