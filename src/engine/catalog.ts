import type { Rule } from '../rules/rule.js';
import { SHARED_RULES } from '../rules/shared.js';
import { SERVICE_DESCRIPTORS } from '../services/list.js';

/**
 * Every rule atrest evaluates: each service's own (from its descriptor), then
 * the rules every service shares. Rule ids are a public contract: users
 * waive, override and script against them. Never rename one.
 */
export const RULES: readonly Rule[] = [...SERVICE_DESCRIPTORS.flatMap((d) => d.rules), ...SHARED_RULES];
