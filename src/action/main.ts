/** Entry point of the bundled action (dist/index.js). */
import * as core from '@actions/core';
import { defaultScanDeps } from '../scan/deps.js';
import type { Logger } from '../util/logger.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionsCacheStore } from './cache.js';
import { runAction } from './run.js';

const logger: Logger = {
  debug: (m) => core.debug(m),
  info: (m) => core.info(m),
  warn: (m) => core.warning(m),
  error: (m) => core.error(m),
};

const token = core.getInput('github-token');
if (token) core.setSecret(token);

runAction({
  getInput: (name) => core.getInput(name),
  setOutput: (name, value) => core.setOutput(name, value),
  setFailed: (m) => core.setFailed(m),
  warning: (m) => core.warning(m),
  notice: (m) => core.notice(m),
  writeSummary: async (markdown) => { await core.summary.addRaw(markdown).write(); },
  logger,
}, (settings, log) => defaultScanDeps(log, {
  settings,
  cache: settings.dbCache ? actionsCacheStore() : null,
  workDir: join(process.env.RUNNER_TEMP ?? tmpdir(), 'scanrook-vulndb'),
}, { onEvent: (e) => core.info(`[${e.stage}] ${e.status}: ${e.message}`) })).catch((e) => {
  core.setFailed(`ScanRook internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
});
