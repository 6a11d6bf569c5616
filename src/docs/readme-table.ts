/**
 * The README's input and output tables, rendered from action.yml so the two cannot drift. Pure: callers parse
 * action.yml (with the `yaml` package) and read/write README.md themselves. The tables sit between marker
 * comments `<!-- inputs:start -->` … `<!-- inputs:end -->` and `<!-- outputs:start -->` … `<!-- outputs:end -->`.
 */

export interface ActionInputMeta {
  description: string;
  required: boolean;
  /** undefined when action.yml gives no `default:`. */
  default: string | undefined;
}

export interface ActionMeta {
  inputs: [string, ActionInputMeta][];
  outputs: [string, { description: string }][];
}

/** Checks the shape of a parsed action.yml and returns its inputs and outputs in file order. */
export function actionMeta(parsed: unknown): ActionMeta {
  const doc = asRecord(parsed, 'action.yml');
  const inputs = Object.entries(asRecord(doc.inputs ?? {}, 'action.yml inputs')).map(
    ([name, v]): [string, ActionInputMeta] => {
      const r = asRecord(v, `input "${name}"`);
      const description = asText(r.description, `input "${name}" description`);
      if (r.required !== undefined && typeof r.required !== 'boolean')
        throw new Error(`input "${name}": required must be a boolean`);
      let def: string | undefined;
      if (r.default !== undefined && r.default !== null) {
        // The runner passes every input as a string; a YAML `true` or `0` would be read as a boolean or number.
        if (typeof r.default !== 'string')
          throw new Error(`input "${name}": default must be a quoted string, got ${JSON.stringify(r.default)}`);
        def = r.default;
      }
      return [name, { description, required: r.required === true, default: def }];
    },
  );
  const outputs = Object.entries(asRecord(doc.outputs ?? {}, 'action.yml outputs')).map(
    ([name, v]): [string, { description: string }] => [
      name,
      { description: asText(asRecord(v, `output "${name}"`).description, `output "${name}" description`) },
    ],
  );
  return { inputs, outputs };
}

export const NOT_WIRED_NOTE = '**Not wired yet:** accepted and checked, but it has no effect yet.';

/** Markdown table of the inputs; inputs named in `notWired` carry a note saying so. */
export function renderInputsTable(parsed: unknown, notWired: readonly string[] = []): string {
  const { inputs } = actionMeta(parsed);
  const unknown = notWired.filter((n) => !inputs.some(([name]) => name === n));
  if (unknown.length > 0)
    throw new Error(`not-wired list names inputs action.yml does not declare: ${unknown.join(', ')}`);
  const rows = inputs.map(([name, i]) => {
    const desc = notWired.includes(name) ? `${i.description} ${NOT_WIRED_NOTE}` : i.description;
    const def = i.default === undefined || i.default === '' ? '' : cell(code(i.default));
    return `| ${code(name)}${i.required ? ' (required)' : ''} | ${cell(desc)} | ${def} |`;
  });
  return ['| Input | Description | Default |', '|---|---|---|', ...rows].join('\n');
}

export function renderOutputsTable(parsed: unknown): string {
  const { outputs } = actionMeta(parsed);
  const rows = outputs.map(([name, o]) => `| ${code(name)} | ${cell(o.description)} |`);
  return ['| Output | Description |', '|---|---|', ...rows].join('\n');
}

function markers(name: string): [string, string] {
  return [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
}

/** The text between a marker pair (trimmed), or null when the README lacks the pair. Throws on a broken pair. */
export function readMarkerBlock(readme: string, name: string): string | null {
  const span = markerSpan(readme, name);
  return span ? readme.slice(span.from, span.to).trim() : null;
}

/** The README with the text between a marker pair replaced by `body`. Throws when the markers are missing. */
export function replaceMarkerBlock(readme: string, name: string, body: string): string {
  const span = markerSpan(readme, name);
  if (!span) throw new Error(`README has no ${markers(name).join(' … ')} block`);
  return `${readme.slice(0, span.from)}\n${body.trim()}\n${readme.slice(span.to)}`;
}

function markerSpan(readme: string, name: string): { from: number; to: number } | null {
  const [start, end] = markers(name);
  const s = readme.indexOf(start);
  const e = readme.indexOf(end);
  if (s < 0 && e < 0) return null;
  if (s < 0 || e < 0 || e < s)
    throw new Error(`README's ${start} / ${end} markers are missing one half or out of order`);
  if (readme.indexOf(start, s + 1) >= 0 || readme.indexOf(end, e + 1) >= 0)
    throw new Error(`README has ${start} / ${end} more than once`);
  return { from: s + start.length, to: e };
}

function code(s: string): string {
  const ticks = s.includes('`') ? '``' : '`';
  return `${ticks}${s}${ticks}`;
}

/** A table cell: one line, pipes escaped. */
function cell(s: string): string {
  return s
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
}

function asRecord(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${what} must be a mapping`);
  return v as Record<string, unknown>;
}

function asText(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new Error(`${what} must be a non-empty string`);
  return v.trim();
}
