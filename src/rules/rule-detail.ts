import type { Inventory, Resource } from '../model/inventory.js';
import type { Remediation } from '../model/report.js';
import type { Rule, RuleContext, RuleOutcome } from './rule.js';

/**
 * Small additions to a rule built by a factory (usually `levelRule`): a
 * service-specific sentence appended to its messages, and a remediation of
 * its own. The factory keeps deciding pass/fail/unknown and severity.
 */
export interface RuleDetail {
  /** A sentence to append to the message, or null for none. */
  detail?: (resource: Resource, context: RuleContext, outcome: RuleOutcome) => string | null;
  remediation?: (resource: Resource, context: RuleContext) => Remediation | null;
}

export function withDetail(rule: Rule, extra: RuleDetail): Rule {
  return {
    ...rule,
    evaluate(resource, context) {
      const outcome = rule.evaluate(resource, context);
      const sentence = extra.detail?.(resource, context, outcome);
      return sentence ? { ...outcome, message: `${outcome.message}; ${sentence}` } : outcome;
    },
    remediation: extra.remediation ?? rule.remediation,
  };
}

/**
 * Fills the upper-case placeholders of a remediation (VOLUME, REGION, DB, …)
 * with this resource's values, so the steps can be pasted as they are.
 * Only whole words are replaced: KEY_ARN stays KEY_ARN when KEY is filled.
 */
export function fillPlaceholders(remediation: Remediation, values: Record<string, string | null | undefined>): Remediation {
  const entries = Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].length > 0);
  const fill = (text: string): string =>
    entries.reduce((out, [token, value]) => out.replace(new RegExp(`(?<![A-Za-z0-9_-])${token}(?![A-Za-z0-9_])`, 'g'), value), text);
  const out: Remediation = { ...remediation, summary: fill(remediation.summary), steps: remediation.steps.map(fill) };
  if (remediation.cli) out.cli = fill(remediation.cli);
  return out;
}

const byArnCache = new WeakMap<Inventory, Map<string, Resource>>();

/** Resources by ARN, built once per inventory (rules that look up a related resource use it). */
export function resourcesByArn(inventory: Inventory): Map<string, Resource> {
  let map = byArnCache.get(inventory);
  if (!map) {
    map = new Map(inventory.resources.map((r) => [r.arn, r]));
    byArnCache.set(inventory, map);
  }
  return map;
}
