import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INPUTS_NOT_WIRED_YET } from '../../src/action/inputs.js';
import { DOCS_COMMAND, generatedFiles, README_PATH } from '../../src/docs/generated.js';
import {
  NOT_WIRED_NOTE,
  readMarkerBlock,
  renderInputsTable,
  renderOutputsTable,
  replaceMarkerBlock,
} from '../../src/docs/readme-table.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { loadActionMeta, loadActionYml } from './action-yml.js';

const README = join(REPO_ROOT, README_PATH);
const HOW = `README.md is out of date with action.yml: run \`${DOCS_COMMAND}\` and commit README.md`;

describe('README input/output tables', () => {
  const action = loadActionYml();
  const blocks = { inputs: renderInputsTable(action, INPUTS_NOT_WIRED_YET), outputs: renderOutputsTable(action) };

  it('match action.yml (`npm run docs` rewrites them)', () => {
    const readme = readFileSync(README, 'utf8');
    for (const [name, body] of Object.entries(blocks)) {
      expect(readMarkerBlock(readme, name), `${name} block missing. ${HOW}`).not.toBeNull();
      expect(readMarkerBlock(readme, name), HOW).toBe(body);
    }
    // and the README `npm run docs` would write is the committed one
    const generated = generatedFiles((p) => readFileSync(join(REPO_ROOT, p), 'utf8'), INPUTS_NOT_WIRED_YET).find(
      (f) => f.path === README_PATH,
    );
    expect(generated?.text, HOW).toBe(readme);
  });

  it('list every input and output once, and mark exactly the inputs not wired yet', () => {
    const meta = loadActionMeta();
    const rows = blocks.inputs.split('\n').slice(2);
    expect(rows.map((r) => /^\| `([^`]+)`/.exec(r)?.[1])).toEqual(meta.inputs.map(([n]) => n));
    expect(
      rows
        .filter((r) => r.includes(NOT_WIRED_NOTE))
        .map((r) => /^\| `([^`]+)`/.exec(r)![1])
        .sort(),
    ).toEqual([...INPUTS_NOT_WIRED_YET].sort());
    expect(
      blocks.outputs
        .split('\n')
        .slice(2)
        .map((r) => /^\| `([^`]+)`/.exec(r)?.[1]),
    ).toEqual(meta.outputs.map(([n]) => n));
    expect(blocks.inputs).toContain('| `timeout` |');
    expect(blocks.inputs).toMatch(/\| `github-token` \|.*\| `\$\{\{ github\.token \}\}` \|$/m);
  });
});

describe('readme-table helpers', () => {
  const doc = {
    inputs: {
      a: { description: 'Pipe | here\nand a newline. Default `x`.', default: 'x' },
      b: { description: 'Needed.', required: true },
    },
    outputs: { o: { description: 'Out.' } },
  };

  it('renders one line per row with pipes escaped', () => {
    expect(renderInputsTable(doc, ['b'])).toBe(
      [
        '| Input | Description | Default |',
        '|---|---|---|',
        '| `a` | Pipe \\| here and a newline. Default `x`. | `x` |',
        `| \`b\` (required) | Needed. ${NOT_WIRED_NOTE} |  |`,
      ].join('\n'),
    );
    expect(renderOutputsTable(doc)).toBe('| Output | Description |\n|---|---|\n| `o` | Out. |');
  });

  it('refuses malformed metadata and unknown not-wired names', () => {
    expect(() => renderInputsTable({ inputs: { a: { description: 'x', default: true } } })).toThrow(/quoted string/);
    expect(() => renderInputsTable({ inputs: { a: {} } })).toThrow(/description/);
    expect(() => renderInputsTable(doc, ['zzz'])).toThrow(/zzz/);
    expect(() => renderOutputsTable('nope')).toThrow(/mapping/);
  });

  it('replaces only between the markers and refuses broken pairs', () => {
    const r = 'top\n<!-- inputs:start -->\nold\n<!-- inputs:end -->\nbottom\n';
    expect(replaceMarkerBlock(r, 'inputs', 'new')).toBe(
      'top\n<!-- inputs:start -->\nnew\n<!-- inputs:end -->\nbottom\n',
    );
    expect(readMarkerBlock('no markers', 'inputs')).toBeNull();
    expect(() => replaceMarkerBlock('no markers', 'inputs', 'x')).toThrow(/no <!-- inputs:start -->/);
    expect(() => readMarkerBlock('<!-- inputs:end --> <!-- inputs:start -->', 'inputs')).toThrow(/out of order/);
    expect(() => readMarkerBlock(r + r, 'inputs')).toThrow(/more than once/);
  });
});
