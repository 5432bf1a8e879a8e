import { allowedKeysRule } from './allowed-keys-rule.js';
import { keyStateRule } from './key-state-rule.js';
import type { Rule } from './rule.js';

/**
 * The rules every service shares: they judge any resource by the KMS key it
 * depends on (KMS.KEY_STATE) or names (KMS.ALLOWED_KEYS). Their compliance
 * mappings are in shared-compliance.ts; SCAN.INCOMPLETE (scan-coverage.ts)
 * is not a rule over resources but over what could not be read.
 */
export const SHARED_RULES: readonly Rule[] = [keyStateRule, allowedKeysRule];
