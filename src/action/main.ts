/** Entry point of the bundled action (dist/index.js). */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { actionEnvironment } from '../github/context.js';
import { createGitHubClient } from '../github/fetch-client.js';
import { TOOL_VERSION } from '../model/version.js';
import { defaultScanDeps } from '../scan/deps.js';
import { parseMode } from '../settings/parse.js';
import { tokenInputProblem } from '../settings/token.js';
import { InputError } from '../settings/values.js';
import type { Logger } from '../util/logger.js';
import { safeLine } from '../util/safe-line.js';
import { wasmBaselineOnly, youngGenerationAtInitialSize } from '../util/v8-flags.js';
import { actionsCacheStore } from './cache.js';
import { runAction } from './run.js';

// Every line goes through safeLine (src/util/safe-line.ts): messages carry text read from the image, and
// core.info prints its message as it is, so a line break in one could start a workflow command.
const logger: Logger = {
  debug: (m) => core.debug(safeLine(m)),
  info: (m) => core.info(safeLine(m)),
  warn: (m) => core.warning(safeLine(m)),
  error: (m) => core.error(safeLine(m)),
};

// As the CLI does for a scan (src/util/v8-flags.ts): V8's young generation stays at its initial size, and
// sql.js's WebAssembly stays on its baseline tier unless YARA-X's runs in deep mode. The mode is parsed here
// as the settings parser parses it; a bad one is reported with the other inputs later (and nothing is scanned).
youngGenerationAtInitialSize();
if (!isDeepMode((name) => core.getInput(name))) wasmBaselineOnly();

// Masked before anything else runs: the runner replaces it with *** wherever it would appear in the log.
const token = core.getInput('github-token');
if (token) core.setSecret(token);
// A token no HTTP header can carry (a line break, NUL, …): said once, by the input's name, never its value.
const tokenProblem = tokenInputProblem('github-token', token);

const cwd = process.cwd();
const env = actionEnvironment(process.env, (p) => readFileSync(p, 'utf8'), cwd);
const client =
  token && tokenProblem === null
    ? createGitHubClient({ token, baseUrl: process.env.GITHUB_API_URL, userAgent: `scanrook-action/${TOOL_VERSION}` })
    : null;

if (tokenProblem !== null) core.setFailed(tokenProblem);
else
  runAction(
    {
      getInput: (name) => core.getInput(name),
      setOutput: (name, value) => core.setOutput(name, value),
      setFailed: (m) => core.setFailed(m),
      markFailed: () => {
        process.exitCode = core.ExitCode.Failure;
      },
      warning: (m) => core.warning(safeLine(m)),
      notice: (m) => core.notice(safeLine(m)),
      annotate: (a) => {
        const props: core.AnnotationProperties = { title: a.title };
        if (a.file !== undefined) props.file = a.file;
        if (a.startLine !== undefined) props.startLine = a.startLine;
        if (a.level === 'error') core.error(a.message, props);
        else if (a.level === 'warning') core.warning(a.message, props);
        else core.notice(a.message, props);
      },
      writeSummary: async (markdown) => {
        await core.summary.addRaw(markdown).write();
      },
      logger,
    },
    (settings, log) =>
      defaultScanDeps(
        log,
        {
          settings,
          cache: settings.dbCache ? actionsCacheStore() : null,
          workDir: join(process.env.RUNNER_TEMP ?? tmpdir(), 'scanrook-vulndb'),
        },
        { onEvent: (e) => core.info(safeLine(`[${e.stage}] ${e.status}: ${e.message}`)) },
      ),
    { env, client, cwd },
  ).catch((e) => {
    core.setFailed(`ScanRook internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  });

function isDeepMode(get: (name: string) => string): boolean {
  try {
    return parseMode(get) === 'deep';
  } catch (e) {
    if (e instanceof InputError) return false;
    throw e;
  }
}
