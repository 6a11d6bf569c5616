/**
 * The default of each setting that has one, written as a user would write the value (a test checks they equal
 * action.yml's). The CLI takes the same, except where a terminal differs from a CI job (CLI_DEFAULTS).
 */
import { DEFAULT_DB_URL } from '../model/settings.js';

export type Defaults = Readonly<Record<string, string>>;

export const SETTING_DEFAULTS: Defaults = {
  // empty: the runner passes action.yml's defaults as inputs, and a platform nobody named must stay unnamed
  // (parse.ts applies DEFAULT_PLATFORM and records platformAsked: false)
  platform: '',
  mode: 'light',
  'fail-on-status': 'failed',
  'warn-on-status': 'partial_failed',
  'severity-threshold': 'high',
  'fixed-only-gate': 'true',
  'fail-on-kev': 'false',
  'db-cache': 'true',
  'db-url': DEFAULT_DB_URL,
  'db-max-age': '3d',
  'sarif-file': 'scanrook.sarif',
  'upload-sarif': 'false',
  'sarif-category': 'scanrook',
  comment: 'auto',
  annotations: 'true',
  summary: 'true',
  'max-image-size': '0',
  'max-packages': '0',
  timeout: '15m',
  'report-file': 'scanrook-report.json',
};

/** A local scan runs as long as it takes (a CI job is stopped at 15 minutes by default). */
export const CLI_DEFAULTS: Defaults = { ...SETTING_DEFAULTS, timeout: '0' };
