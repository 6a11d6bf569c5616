/**
 * The built-in rule set, compiled into the `scanrook` namespace. Rules are TypeScript string modules so the
 * bundle carries them (nothing to ship beside it). Every rule has `meta: description`, `severity` (one of the
 * report's severities) and `source` (where its pattern comes from); test/yara/rules.test.ts checks both.
 * Each rule file also exports the literals its rules cannot match without (the prefilter, ../prefilter.ts);
 * test/yara/prefilter.test.ts checks them against the rule texts and the engine.
 */
import type { RuleSource } from '../limits.js';
import type { RuleLiterals } from '../prefilter.js';
import { CLOUD_CREDENTIAL_LITERALS, CLOUD_CREDENTIAL_RULES } from './cloud-credentials.js';
import { MALWARE_LITERALS, MALWARE_RULES } from './malware.js';
import { PRIVATE_KEY_LITERALS, PRIVATE_KEY_RULES } from './private-keys.js';

export const BUILTIN_NAMESPACE = 'scanrook';

/** A built-in rule file: its text and, for every rule in it, the literals it cannot match without. */
export interface BuiltinRuleSource extends RuleSource {
  readonly literals: readonly RuleLiterals[];
}

export const BUILTIN_RULES: readonly BuiltinRuleSource[] = [
  {
    name: 'built-in:private-keys',
    namespace: BUILTIN_NAMESPACE,
    text: PRIVATE_KEY_RULES,
    literals: PRIVATE_KEY_LITERALS,
  },
  {
    name: 'built-in:cloud-credentials',
    namespace: BUILTIN_NAMESPACE,
    text: CLOUD_CREDENTIAL_RULES,
    literals: CLOUD_CREDENTIAL_LITERALS,
  },
  { name: 'built-in:malware', namespace: BUILTIN_NAMESPACE, text: MALWARE_RULES, literals: MALWARE_LITERALS },
];
