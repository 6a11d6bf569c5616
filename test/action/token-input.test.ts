/**
 * Issue 16 item 12: a `github-token` input with a line break, NUL or another control character. The check
 * names the input, never the value; the action (src/action/main.ts, run from the sources) fails the step with
 * that one message before it scans or sends anything, and the value appears only in its own mask command.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tokenInputProblem } from '../../src/settings/token.js';
import { CLOSED_DB_URL } from '../helpers/scan-deps.js';
import { runSrcEntry } from '../util/src-entry.js';

const SECRET = 'ghs_tokenInputSecret42';
const work = mkdtempSync(join(tmpdir(), 'scanrook-token-input-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('tokenInputProblem', () => {
  it('accepts an ordinary token and refuses control characters by the input name, never the value', () => {
    expect(tokenInputProblem('github-token', SECRET)).toBeNull();
    expect(tokenInputProblem('github-token', '')).toBeNull();
    for (const bad of [`${SECRET}\nx`, `${SECRET}\r`, `${SECRET}\u0000`, `${SECRET}\u0007`, `${SECRET}\u2028`]) {
      const m = tokenInputProblem('github-token', bad);
      expect(m).toContain('input "github-token" holds a control character');
      expect(m).not.toContain(SECRET);
    }
  });
});

describe('the action with a multi-line github-token', () => {
  it('fails the step with one clear message, scans nothing, prints the value nowhere but its mask', async () => {
    const event = join(work, 'event.json');
    const output = join(work, 'output');
    const summary = join(work, 'summary');
    writeFileSync(event, '{}');
    writeFileSync(output, '');
    writeFileSync(summary, '');
    const r = await runSrcEntry('src/action/main.ts', [], {
      cwd: work,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: work,
        GITHUB_ACTIONS: 'true',
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: event,
        GITHUB_REPOSITORY: 'octo/app',
        GITHUB_API_URL: CLOSED_DB_URL,
        GITHUB_WORKSPACE: work,
        RUNNER_TEMP: work,
        'INPUT_GITHUB-TOKEN': `${SECRET}\nsecond-line`,
        'INPUT_IMAGE-TAR': join(work, 'missing.tar'),
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n').filter(Boolean);
    const errors = lines.filter((l) => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('input "github-token" holds a control character');
    for (const l of lines) if (!l.startsWith('::add-mask::')) expect(l).not.toContain(SECRET);
    expect(r.stdout).not.toContain('missing.tar');
  }, 60_000);
});
