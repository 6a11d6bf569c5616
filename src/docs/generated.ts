/**
 * The generated documentation files, rendered in one place: `npm run docs` (scripts/docs.mjs) writes them and
 * the tests (test/docs/guide.test.ts, test/action/readme.test.ts) check the committed files equal them.
 * docs/troubleshooting.md is renderGuide(); README.md is the committed README with its input and output
 * tables (between their markers) rendered from action.yml. Pure: the caller reads and writes the files.
 */
import { parse } from 'yaml';
import { GUIDE_PATH, renderGuide } from './guide.js';
import { renderInputsTable, renderOutputsTable, replaceMarkerBlock } from './readme-table.js';

export const README_PATH = 'README.md';
export const ACTION_YML_PATH = 'action.yml';
/** What a stale generated file tells you to run. */
export const DOCS_COMMAND = 'npm run docs';

export interface GeneratedFile {
  /** Relative to the repository root. */
  path: string;
  text: string;
}

/**
 * Every generated file and its text. `read` gives a repository file's text (README.md and action.yml are
 * inputs); `notWired` names the inputs whose table row says they have no effect yet.
 */
export function generatedFiles(read: (path: string) => string, notWired: readonly string[]): GeneratedFile[] {
  const action: unknown = parse(read(ACTION_YML_PATH));
  let readme = read(README_PATH);
  readme = replaceMarkerBlock(readme, 'inputs', renderInputsTable(action, notWired));
  readme = replaceMarkerBlock(readme, 'outputs', renderOutputsTable(action));
  return [
    { path: GUIDE_PATH, text: renderGuide() },
    { path: README_PATH, text: readme },
  ];
}
