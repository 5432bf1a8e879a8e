import type { ServiceName } from '../model/services.js';
import { SHARED_RULE_COMPLIANCE } from '../rules/shared-compliance.js';
import { isServiceName, SERVICE_DESCRIPTORS } from '../services/list.js';
import type { ControlMapping, RuleCompliance } from './mapping.js';

/**
 * The compliance mappings of every rule, by rule id: each service's (from its
 * descriptor) and the shared rules'. The engine takes every finding's
 * `compliance` from here and nowhere else.
 */
export const COMPLIANCE: Readonly<Record<string, RuleCompliance>> = Object.assign(
  {},
  ...SERVICE_DESCRIPTORS.map((d) => d.compliance),
  SHARED_RULE_COMPLIANCE,
) as Record<string, RuleCompliance>;

/** The controls a rule evidences (none for a rule id no descriptor knows). */
export function mappingsFor(ruleId: string): readonly ControlMapping[] {
  return COMPLIANCE[ruleId]?.mappings ?? [];
}

const OWNER = new Map<string, ServiceName>(SERVICE_DESCRIPTORS.flatMap((d) => d.rules.map((r) => [r.id, d.id] as const)));

/**
 * The service a rule speaks about: the descriptor that holds it; for the
 * shared rules, the service their id names (KMS.KEY_STATE: kms).
 */
export function serviceOfRule(ruleId: string): ServiceName | undefined {
  const owner = OWNER.get(ruleId);
  if (owner) return owner;
  const prefix = ruleId.split('.')[0]!.toLowerCase();
  return isServiceName(prefix) ? prefix : undefined;
}
