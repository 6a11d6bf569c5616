/** Validates detections against src/yara/detections.schema.json (the fragment to merge into the report schema). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { REPO_ROOT } from '../helpers/shared.js';

const fragment = JSON.parse(readFileSync(join(REPO_ROOT, 'src/yara/detections.schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(fragment.properties.detections);

export function assertValidDetections(detections: unknown): void {
  if (!validate(detections))
    throw new Error(
      'detections do not match src/yara/detections.schema.json:\n' +
        ajv.errorsText(validate.errors, { separator: '\n' }),
    );
}
