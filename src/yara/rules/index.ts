/**
 * The built-in rule set, compiled into the `scanrook` namespace. Rules are TypeScript string modules so the
 * bundle carries them (nothing to ship beside it). Every rule has `meta: description`, `severity` (one of the
 * report's severities) and `source` (where its pattern comes from); test/yara/rules.test.ts checks both.
 */
import type { RuleSource } from '../limits.js';
import { CLOUD_CREDENTIAL_RULES } from './cloud-credentials.js';
import { MALWARE_RULES } from './malware.js';
import { PRIVATE_KEY_RULES } from './private-keys.js';

export const BUILTIN_NAMESPACE = 'scanrook';

export const BUILTIN_RULES: readonly RuleSource[] = [
  { name: 'built-in:private-keys', namespace: BUILTIN_NAMESPACE, text: PRIVATE_KEY_RULES },
  { name: 'built-in:cloud-credentials', namespace: BUILTIN_NAMESPACE, text: CLOUD_CREDENTIAL_RULES },
  { name: 'built-in:malware', namespace: BUILTIN_NAMESPACE, text: MALWARE_RULES },
];
