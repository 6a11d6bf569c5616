/**
 * Issue 16 item 1: text read from an image (os-release PRETTY_NAME, a layer path in manifest.json) must not
 * print a workflow command. safeLine on its own, then the CLI (src/cli.ts) and the action (src/action/main.ts)
 * run from the sources as processes (src-entry.ts) on generated hostile images (hostile-log-image.ts): no
 * line of the CLI's stderr, and no line of the action's stdout other than its own escaped commands, starts
 * with `::` or holds the legacy `##[` prefix, while the hostile text does reach the log (escaped).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeLine, safeLines } from '../../src/util/safe-line.js';
import { CLOSED_DB_URL } from '../helpers/scan-deps.js';
import { hostileLogImage, INJECTED } from './hostile-log-image.js';
import { runSrcEntry } from './src-entry.js';

describe('safeLine', () => {
  it('leaves ordinary text exactly as it was', () => {
    for (const s of [
      '',
      '[inventory] finished: 87 packages (87 OS) — inventory complete, OS Debian GNU/Linux 12 (bookworm)',
      'warning: a path with spaces and ünïcödé, 100% sure: yes',
      'error: x::y is not ::a command here',
    ])
      expect(safeLine(s)).toBe(s);
  });
  it('turns every line break into a visible \\n, so the text stays one line', () => {
    expect(safeLine('a\nb\rc\r\nd\u2028e\u2029f\u0085g')).toBe('a\\nb\\nc\\nd\\ne\\nf\\ng');
    expect(safeLine('x\n::error::pwned')).toBe('x\\n::error::pwned');
  });
  it('makes a tab a space and shows other control characters as \\xNN', () => {
    expect(safeLine('a\tb\u0000c\u001bd\u007fe\u009bf')).toBe('a b\\x00c\\x1bd\\x7fe\\x9bf');
  });
  it('never lets a line start with :: (leading whitespace included), and breaks the legacy ##[ prefix', () => {
    expect(safeLine('::error::pwned')).toBe('\\::error::pwned');
    expect(safeLine('  \t::add-mask::x')).toBe('   \\::add-mask::x');
    expect(safeLine('\u00a0::stop-commands::t')).toBe('\u00a0\\::stop-commands::t');
    expect(safeLine('see ##[error]x')).toBe('see ##\\[error]x');
    for (const s of ['::x::y', '\n::x::y', ' ::x::y', '\u2028::x::y', 'a ##[x]'])
      expect(safeLine(s).trimStart().startsWith('::') || safeLine(s).includes('##[')).toBe(false);
  });
  it('splits text we built (a stack) into one safe line per line', () => {
    expect(safeLines('Error: bad\n    at f (x.js:1)\n::error::pwned')).toEqual([
      'Error: bad',
      '    at f (x.js:1)',
      '\\::error::pwned',
    ]);
  });
});

const work = mkdtempSync(join(tmpdir(), 'scanrook-log-injection-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const TOKEN = 'ghs_logInjectionTestToken0123456789';
let images: Record<'os-release' | 'layer-path', string>;
beforeAll(() => {
  images = {
    'os-release': hostileLogImage(join(work, 'os'), 'os-release'),
    'layer-path': hostileLogImage(join(work, 'layer'), 'layer-path'),
  };
});

const lines = (text: string) => text.split('\n');
/** The hostile text made it into the log, escaped: proof the test looks at lines that carry it. */
const carries = (text: string) => expect(text).toMatch(/pwned/);

describe.each(['os-release', 'layer-path'] as const)('a hostile %s', (kind) => {
  it('the CLI (src/cli.ts) prints no stderr line that starts with :: or holds ##[', async () => {
    const r = await runSrcEntry(
      'src/cli.ts',
      ['scan', images[kind], '--db-url', CLOSED_DB_URL, '--no-db-cache', '--format', 'json', '--verbose'],
      { cwd: work, env: { PATH: process.env.PATH ?? '', HOME: work } },
    );
    expect([0, 3]).toContain(r.code);
    carries(r.stderr);
    for (const line of lines(r.stderr)) {
      expect(line.trimStart().startsWith('::'), line).toBe(false);
      expect(line.includes('##['), line).toBe(false);
    }
  }, 60_000);

  it('the CLI table on stdout has no such line either', async () => {
    const r = await runSrcEntry(
      'src/cli.ts',
      ['scan', images[kind], '--db-url', CLOSED_DB_URL, '--no-db-cache', '--format', 'table', '--quiet'],
      { cwd: work, env: { PATH: process.env.PATH ?? '', HOME: work } },
    );
    expect([0, 3]).toContain(r.code);
    carries(r.stdout);
    for (const line of lines(r.stdout)) {
      expect(line.trimStart().startsWith('::'), line).toBe(false);
      expect(line.includes('##['), line).toBe(false);
    }
  }, 60_000);

  it('the action (src/action/main.ts) prints none either, apart from its own escaped workflow commands', async () => {
    const dir = join(work, `action-${kind}`);
    const event = join(work, 'push-event.json');
    writeFileSync(event, '{}');
    const output = join(work, `output-${kind}`);
    const summary = join(work, `summary-${kind}`);
    writeFileSync(output, '');
    writeFileSync(summary, '');
    const r = await runSrcEntry('src/action/main.ts', [], {
      cwd: work,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: work,
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: event,
        GITHUB_REPOSITORY: 'octo/app',
        GITHUB_REPOSITORY_OWNER: 'octo',
        GITHUB_SHA: 'a'.repeat(40),
        GITHUB_REF: 'refs/heads/main',
        GITHUB_API_URL: CLOSED_DB_URL,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_WORKFLOW: 'CI',
        GITHUB_JOB: 'scan',
        GITHUB_RUN_ID: '1',
        GITHUB_WORKSPACE: work,
        RUNNER_TEMP: dir,
        'INPUT_GITHUB-TOKEN': TOKEN,
        'INPUT_IMAGE-TAR': images[kind],
        'INPUT_DB-URL': CLOSED_DB_URL,
        'INPUT_DB-CACHE': 'false',
        INPUT_COMMENT: 'never',
        'INPUT_UPLOAD-SARIF': 'false',
        'INPUT_REPORT-FILE': join(dir, 'report.json'),
        RUNNER_DEBUG: '1',
      },
    });
    expect(r.stderr).toBe('');
    carries(r.stdout);
    for (const line of lines(r.stdout)) {
      const t = line.trimStart();
      if (t.startsWith('::')) {
        // Ours: @actions/core's commands, their data %-escaped (no raw line break: quoted `::x::` in the data
        // is text), the only mask the token's.
        expect(line, line).toMatch(/^::(debug|notice|warning|error|group|endgroup|add-mask)( [^:]*)?::/);
        if (t.startsWith('::add-mask::')) expect(line).toBe(`::add-mask::${TOKEN}`);
        for (const bad of INJECTED) expect(t.startsWith(bad), line).toBe(false);
      } else expect(line.includes('##['), line).toBe(false);
    }
  }, 60_000);
});

describe('an internal error whose message quotes hostile text (src/cli.ts)', () => {
  it('prints its stack as safe lines: none starts with ::, exit 3', async () => {
    const r = await runSrcEntry(
      'src/cli.ts',
      ['db', 'info', 'gone\n::error::pwned\r::add-mask::x\u2028::stop-commands::t'],
      {
        cwd: work,
        env: { PATH: process.env.PATH ?? '', HOME: work },
      },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^scanrook: internal error: /);
    carries(r.stderr);
    for (const line of lines(r.stderr)) expect(line.trimStart().startsWith('::'), line).toBe(false);
  }, 60_000);
});
