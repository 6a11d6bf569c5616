/**
 * Validate requests and responses of a local GitHub stand-in against GitHub's own OpenAPI description
 * (../shared/github/openapi-subset-actions-scanner.json: upload-sarif, get-sarif, issue comments, pulls/get).
 * Ajv 8 (`strict: false`, formats; OpenAPI's `nullable` is understood by Ajv).
 *
 *   validateRequest('POST', '/repos/{owner}/{repo}/code-scanning/sarifs', body)  → [] or error strings
 *   validateResponse('GET', '/repos/{owner}/{repo}/code-scanning/sarifs/{sarif_id}', 200, data)
 *   matchPath('/repos/o/r/code-scanning/sarifs/abc') → { template, params } | null
 */
import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { sharedPath } from './shared.js';

interface Operation {
  requestBody?: { content?: Record<string, { schema?: object }> };
  responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: object }> }>;
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
}

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  a: Ajv,
) => void;

let cache: { spec: Spec; ajv: Ajv; compiled: Map<string, ValidateFunction> } | null = null;

function load() {
  if (cache) return cache;
  const spec = JSON.parse(readFileSync(sharedPath('github', 'openapi-subset-actions-scanner.json'), 'utf8')) as Spec;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'gh', components: spec.components });
  cache = { spec, ajv, compiled: new Map() };
  return cache;
}

/** `#/components/...` refs inside operation schemas point into the 'gh' schema registered above. */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema && typeof schema === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(schema))
      out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `gh${v}` : rebase(v);
    return out;
  }
  return schema;
}

function operation(method: string, template: string): Operation {
  const { spec } = load();
  const op = spec.paths[template]?.[method.toLowerCase()];
  if (!op) throw new Error(`the OpenAPI subset has no ${method} ${template}`);
  return op;
}

function compile(key: string, schema: object): ValidateFunction {
  const c = load();
  let v = c.compiled.get(key);
  if (!v) {
    v = c.ajv.compile(rebase(schema) as object);
    c.compiled.set(key, v);
  }
  return v;
}

function errorsOf(v: ValidateFunction): string[] {
  return (v.errors ?? []).map(
    (e) => `${e.instancePath || '(body)'} ${e.message ?? 'invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
  );
}

/** Errors of a JSON request body against the operation's requestBody schema ([] when valid). */
export function validateRequest(method: string, template: string, body: unknown): string[] {
  const op = operation(method, template);
  const schema = op.requestBody?.content?.['application/json']?.schema;
  if (!schema) return body === undefined || body === null ? [] : [`${method} ${template} takes no JSON body`];
  const v = compile(`req ${method} ${template}`, schema);
  return v(body) ? [] : errorsOf(v);
}

/** Errors of a response body against the documented response for that status ([] when valid). */
export function validateResponse(method: string, template: string, status: number, data: unknown): string[] {
  const op = operation(method, template);
  let resp = op.responses?.[String(status)];
  if (!resp) return [`${method} ${template} documents no ${status} response`];
  if (resp.$ref) {
    const name = resp.$ref.split('/').pop()!;
    resp = load().spec.components.responses?.[name] as typeof resp;
  }
  const schema = resp?.content?.['application/json']?.schema;
  if (!schema) return [];
  const v = compile(`res ${method} ${template} ${status}`, schema);
  return v(data) ? [] : errorsOf(v);
}

/** Which documented path template a concrete path is, with its parameters. */
export function matchPath(path: string): { template: string; params: Record<string, string> } | null {
  const { spec } = load();
  const clean = path.split('?')[0]!;
  for (const template of Object.keys(spec.paths)) {
    const names: string[] = [];
    const re = new RegExp(
      `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, n: string) => {
        names.push(n);
        return '([^/]+)';
      })}$`,
    );
    const m = re.exec(clean);
    if (m) return { template, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
  }
  return null;
}
