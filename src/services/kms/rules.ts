import type { Rule } from '../../rules/rule.js';
import { KMS_KEY_RULES } from './key-rules.js';
import { kmsRotationRule } from './rotation-rule.js';
import { kmsQuotaHeadroomRule } from './usage/quota-rule.js';

/**
 * Every rule about KMS keys themselves. The KMS rules that judge other
 * services' resources by their key (KMS.KEY_STATE, KMS.ALLOWED_KEYS) are
 * shared by every service and live in src/rules/.
 */
export const KMS_RULES: readonly Rule[] = [kmsRotationRule, ...KMS_KEY_RULES, kmsQuotaHeadroomRule];
