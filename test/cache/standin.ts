/**
 * A stand-in for the Actions cache service v2 as @actions/cache 6.3.0 speaks to it (CONTRACTS.md §5.3), on
 * 127.0.0.1, entries in memory:
 * - twirp JSON `POST /twirp/github.actions.results.api.v1.CacheService/{CreateCacheEntry,FinalizeCacheEntryUpload,
 *   GetCacheEntryDownloadURL}` with `Authorization: Bearer <token>`. Every request body is checked against the
 *   message definitions of `@actions/cache/lib/generated/results/api/v1/cache.js` (proto field names, no
 *   default values emitted): an unknown field, a missing `key`/`version`, a wrong JSON type → 400 `malformed`.
 * - the Azurite-style blob URL it hands out (`/devstoreaccount1/actions-cache/<id>?sig=…`): Azure "Put Blob"
 *   (`x-ms-blob-type: BlockBlob`), "Put Block" (`comp=block&blockid=…`), "Put Block List" (`comp=blocklist`),
 *   and a plain GET for the download.
 * Fault switches: `unavailable` (503 on everything), `delayMs` (every answer that late), `corrupt` (the blob
 * served damaged: `archive` flips bytes of the tar.zst, `content` keeps a valid archive whose SQLite file has a
 * garbage header). Every request is logged.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.CacheService/';

type FieldKind = 'string' | 'int64' | 'bool' | 'string[]' | 'metadata';
/** Request messages: proto field name → JSON kind, and the fields the client always sends (non-default). */
const REQUESTS: Record<string, { fields: Record<string, FieldKind>; required: string[] }> = {
  CreateCacheEntry: {
    fields: { metadata: 'metadata', key: 'string', version: 'string' },
    required: ['key', 'version'],
  },
  FinalizeCacheEntryUpload: {
    fields: { metadata: 'metadata', key: 'string', size_bytes: 'int64', version: 'string' },
    required: ['key', 'size_bytes', 'version'],
  },
  GetCacheEntryDownloadURL: {
    fields: { metadata: 'metadata', key: 'string', restore_keys: 'string[]', version: 'string' },
    required: ['key', 'version'],
  },
};

export interface LoggedRequest {
  method: string;
  path: string;
  /** twirp method name, or `PutBlob` / `PutBlock` / `PutBlockList` / `GetBlob`. */
  op: string;
  status: number;
  body?: unknown;
}

export interface Entry {
  id: number;
  key: string;
  version: string;
  sig: string;
  blob?: Buffer;
  blocks: Map<string, Buffer>;
  finalized: boolean;
  sizeBytes?: number;
  created: number;
}

export type Corruption = 'archive' | 'content' | null;

function isInt64(v: unknown): boolean {
  return (typeof v === 'string' && /^-?\d+$/.test(v)) || (typeof v === 'number' && Number.isInteger(v));
}

/** Why a JSON value does not fit the kind, or null. */
function checkKind(kind: FieldKind, v: unknown, where: string): string | null {
  switch (kind) {
    case 'string':
      return typeof v === 'string' ? null : `${where} must be a string`;
    case 'bool':
      return typeof v === 'boolean' ? null : `${where} must be a boolean`;
    case 'int64':
      return isInt64(v) ? null : `${where} must be an int64 (decimal string)`;
    case 'string[]':
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? null : `${where} must be an array of strings`;
    case 'metadata': {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return `${where} must be an object`;
      for (const [k, x] of Object.entries(v)) {
        if (k === 'repository_id') {
          if (!isInt64(x)) return `${where}.repository_id must be an int64`;
        } else if (k === 'scope') {
          if (!Array.isArray(x)) return `${where}.scope must be an array`;
          for (const s of x) {
            if (!s || typeof s !== 'object') return `${where}.scope[] must be objects`;
            for (const [sk, sv] of Object.entries(s)) {
              if (sk === 'scope' && typeof sv === 'string') continue;
              if (sk === 'permission' && isInt64(sv)) continue;
              return `${where}.scope[].${sk} is unknown or of the wrong type`;
            }
          }
        } else return `${where}.${k} is not a field of CacheMetadata`;
      }
      return null;
    }
  }
}

/** Null when `body` is a valid JSON request message for `method`, else what is wrong. */
export function validateRequest(method: string, body: unknown): string | null {
  const def = REQUESTS[method];
  if (!def) return `unknown method ${method}`;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'the body must be a JSON object';
  for (const [k, v] of Object.entries(body)) {
    const kind = def.fields[k];
    if (!kind) return `${k} is not a field of ${method}Request`;
    const why = checkKind(kind, v, k);
    if (why) return why;
  }
  for (const r of def.required) {
    const v = (body as Record<string, unknown>)[r];
    if (v === undefined || v === '' || v === '0') return `${r} is missing`;
  }
  return null;
}

export class CacheStandIn {
  readonly requests: LoggedRequest[] = [];
  readonly entries: Entry[] = [];
  unavailable = false;
  delayMs = 0;
  corrupt: Corruption = null;
  url = '';
  private nextId = 1;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(readonly token: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((e) => {
        if (!res.headersSent) this.json(res, 500, { code: 'internal', msg: String(e) });
      });
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Forget the log and the faults (entries are kept: they are what a second run restores). */
  reset(): void {
    this.requests.length = 0;
    this.unavailable = false;
    this.delayMs = 0;
    this.corrupt = null;
  }

  ops(): string[] {
    return this.requests.map((r) => `${r.op} ${r.status}`);
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const log: LoggedRequest = { method: req.method ?? '', path: u.pathname, op: '?', status: 0 };
    this.requests.push(log);
    const answer = (status: number, fn: () => void): void => {
      log.status = status;
      if (this.delayMs) setTimeout(fn, this.delayMs);
      else fn();
    };
    if (u.pathname.startsWith(TWIRP_PREFIX)) log.op = u.pathname.slice(TWIRP_PREFIX.length);
    else if (req.method === 'GET') log.op = 'GetBlob';
    else if (u.searchParams.get('comp') === 'block') log.op = 'PutBlock';
    else if (u.searchParams.get('comp') === 'blocklist') log.op = 'PutBlockList';
    else if (req.method === 'PUT') log.op = 'PutBlob';

    if (this.unavailable)
      return answer(503, () => this.json(res, 503, { code: 'unavailable', msg: 'service unavailable' }));
    if (log.op in REQUESTS) return this.twirp(log, req, raw, res, answer);

    const m = /^\/devstoreaccount1\/actions-cache\/(\d+)$/.exec(u.pathname);
    const entry = m ? this.entries.find((e) => e.id === Number(m[1])) : undefined;
    const azureError = (status: number, code: string) =>
      answer(status, () => {
        res.writeHead(status, { 'content-type': 'application/xml', 'x-ms-error-code': code });
        res.end(`<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code></Error>`);
      });
    if (!entry || u.searchParams.get('sig') !== entry.sig) return azureError(403, 'AuthenticationFailed');
    const created = (status = 201) =>
      answer(status, () => {
        res.writeHead(status, {
          etag: `"0x${randomBytes(8).toString('hex').toUpperCase()}"`,
          'last-modified': new Date().toUTCString(),
          'x-ms-request-id': randomBytes(16).toString('hex'),
          'x-ms-version': String(req.headers['x-ms-version'] ?? '2025-01-05'),
          'x-ms-request-server-encrypted': 'true',
          'content-length': '0',
        });
        res.end();
      });

    if (log.op === 'GetBlob') {
      if (!entry.finalized || !entry.blob) return azureError(404, 'BlobNotFound');
      const body = this.served(entry.blob);
      return answer(200, () => {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
        res.end(body);
      });
    }
    if (entry.finalized) return azureError(409, 'BlobImmutable');
    if (log.op === 'PutBlob') {
      if (req.headers['x-ms-blob-type'] !== 'BlockBlob') return azureError(400, 'MissingRequiredHeader');
      if (Number(req.headers['content-length']) !== raw.length) return azureError(400, 'InvalidHeaderValue');
      entry.blob = raw;
      return created();
    }
    if (log.op === 'PutBlock') {
      const id = u.searchParams.get('blockid');
      if (!id) return azureError(400, 'InvalidQueryParameterValue');
      entry.blocks.set(id, raw);
      return created();
    }
    if (log.op === 'PutBlockList') {
      const ids = [...raw.toString('utf8').matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)].map(
        (x) => x[2]!,
      );
      if (!ids.length || ids.some((id) => !entry.blocks.has(id))) return azureError(400, 'InvalidBlockList');
      entry.blob = Buffer.concat(ids.map((id) => entry.blocks.get(id)!));
      entry.blocks.clear();
      return created();
    }
    return azureError(405, 'UnsupportedHttpVerb');
  }

  private twirp(
    log: LoggedRequest,
    req: IncomingMessage,
    raw: Buffer,
    res: ServerResponse,
    answer: (status: number, fn: () => void) => void,
  ): void {
    const err = (status: number, code: string, msg: string) =>
      answer(status, () => this.json(res, status, { code, msg }));
    const ok = (body: unknown) => answer(200, () => this.json(res, 200, body));
    if (req.method !== 'POST') return err(404, 'bad_route', `${req.method} is not POST`);
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return err(401, 'unauthenticated', 'bad or missing token');
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
      return err(415, 'malformed', 'not JSON');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return err(400, 'malformed', 'the body is not JSON');
    }
    log.body = body;
    const why = validateRequest(log.op, body);
    if (why) return err(400, 'malformed', why);
    const key = body.key as string;
    const version = body.version as string;

    if (log.op === 'CreateCacheEntry') {
      if (this.entries.some((e) => e.key === key && e.version === version)) {
        // what the hosted service answers (twirp already_exists → HTTP 409)
        return err(409, 'already_exists', 'cache entry with the same key, version, and scope already exists');
      }
      const e: Entry = {
        id: this.nextId++,
        key,
        version,
        sig: randomBytes(12).toString('hex'),
        blocks: new Map(),
        finalized: false,
        created: Date.now(),
      };
      this.entries.push(e);
      return ok({ ok: true, signed_upload_url: this.blobUrl(e) });
    }
    if (log.op === 'FinalizeCacheEntryUpload') {
      const e = this.entries.find((x) => x.key === key && x.version === version && !x.finalized);
      if (!e) return err(404, 'not_found', `no reserved entry ${key}`);
      if (!e.blob) return err(400, 'failed_precondition', `nothing uploaded for ${key}`);
      if (Number(body.size_bytes) !== e.blob.length) {
        return err(400, 'invalid_argument', `size_bytes ${String(body.size_bytes)} != uploaded ${e.blob.length}`);
      }
      e.finalized = true;
      e.sizeBytes = e.blob.length;
      return ok({ ok: true, entry_id: String(e.id) });
    }
    // GetCacheEntryDownloadURL: exact key, key prefix, then each restore key exact then prefix; newest wins.
    const done = this.entries
      .filter((e) => e.finalized && e.version === version)
      .sort((a, b) => b.created - a.created || b.id - a.id);
    let hit: Entry | undefined;
    for (const k of [key, ...((body.restore_keys as string[] | undefined) ?? [])]) {
      hit = done.find((e) => e.key === k) ?? done.find((e) => e.key.startsWith(k));
      if (hit) break;
    }
    if (!hit) return ok({ ok: false, signed_download_url: '', matched_key: '' });
    return ok({ ok: true, signed_download_url: `${this.blobUrl(hit)}&se=download`, matched_key: hit.key });
  }

  private blobUrl(e: Entry): string {
    return `${this.url}devstoreaccount1/actions-cache/${e.id}?sv=2025-01-05&sig=${e.sig}`;
  }

  /** The stored blob as served, damaged when asked to. */
  private served(blob: Buffer): Buffer {
    if (this.corrupt === 'archive') {
      const b = Buffer.from(blob);
      for (let i = Math.floor(b.length / 3); i < b.length; i += 7) b[i] = b[i]! ^ 0xa5;
      return b;
    }
    if (this.corrupt === 'content') {
      const tar = spawnSync('zstd', ['-d', '-c'], { input: blob, maxBuffer: 1 << 30 });
      if (tar.status !== 0) throw new Error(`zstd -d failed: ${tar.stderr.toString()}`);
      const bytes = Buffer.from(tar.stdout);
      const at = bytes.indexOf('SQLite format 3\0');
      if (at < 0) throw new Error('no SQLite file in the cached archive');
      bytes.fill(0x5a, at, at + 4096); // header and first page garbage; the tar stays valid (sizes unchanged)
      const z = spawnSync('zstd', ['-c', '-q'], { input: bytes, maxBuffer: 1 << 30 });
      if (z.status !== 0) throw new Error(`zstd failed: ${z.stderr.toString()}`);
      return Buffer.from(z.stdout);
    }
    return blob;
  }
}
