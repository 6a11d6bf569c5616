/** Validates reports against the committed JSON Schema (src/model/report.schema.json). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { REPO_ROOT } from './shared.js';

const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'src/model/report.schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const validate = ajv.compile(schema);

/** Throws with every schema error when the report does not validate. */
export function assertValidReport(report: unknown): void {
  if (!validate(report)) {
    throw new Error(
      'report does not match src/model/report.schema.json:\n' + ajv.errorsText(validate.errors, { separator: '\n' }),
    );
  }
}
