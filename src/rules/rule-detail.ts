import type { Resource } from '../model/inventory.js';
import type { ServiceMatrixEntry } from '../model/matrix.js';
import type { Remediation } from '../model/report.js';
import { matrixRemediation } from './remediation.js';
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
  /** With `remediation`: its one-line summary when it does not depend on the resource. */
  remediationSummary?: string;
}

export function withDetail(rule: Rule, extra: RuleDetail): Rule {
  // A remediation of its own replaces the factory's, summary included.
  const { remediationSummary, ...base } = rule;
  const summary = extra.remediation ? extra.remediationSummary : remediationSummary;
  return {
    ...base,
    ...(summary ? { remediationSummary: summary } : {}),
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
export function fillPlaceholders<T extends RemediationBody & { summary?: string }>(remediation: T, values: Record<string, string | null | undefined>): T {
  const entries = Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].length > 0);
  const fill = (text: string): string => entries.reduce((out, [token, value]) => (out.includes(token) ? out.replace(placeholder(token), value) : out), text);
  const out: T = { ...remediation, steps: remediation.steps.map(fill) };
  if (remediation.summary !== undefined) out.summary = fill(remediation.summary);
  if (remediation.cli) out.cli = fill(remediation.cli);
  return out;
}

/**
 * The pattern of a whole-word placeholder, compiled once per token (a few
 * dozen tokens; a report of 100,000 resources fills ~30,000 remediations).
 * Global regexps are safe to share with String.prototype.replace, which
 * starts at 0 and resets lastIndex itself.
 */
const placeholders = new Map<string, RegExp>();
function placeholder(token: string): RegExp {
  let re = placeholders.get(token);
  if (!re) placeholders.set(token, (re = new RegExp(`(?<![A-Za-z0-9_-])${token}(?![A-Za-z0-9_])`, 'g')));
  return re;
}

/** A remediation without its one-line summary. */
export type RemediationBody = Omit<Remediation, 'summary'>;

/**
 * A remediation whose one-line summary is the same for every resource (its
 * steps may still name the resource). Spread into a rule or a RuleDetail, it
 * sets `remediation` and `remediationSummary` from the one string, so the
 * rule index (`atrest rules`) and the findings cannot disagree.
 */
export function staticFix(
  summary: string,
  body: (resource: Resource, context: RuleContext) => RemediationBody,
): { remediation: (resource: Resource, context: RuleContext) => Remediation; remediationSummary: string } {
  return { remediationSummary: summary, remediation: (resource, context) => ({ summary, ...body(resource, context) }) };
}

/** The matrix remediation of a service (placeholders filled per resource, when `fill` says how): the same summary for every resource. */
export function matrixFix(
  matrix: ServiceMatrixEntry,
  fill?: (resource: Resource) => Record<string, string | null | undefined>,
): { remediation: (resource: Resource) => Remediation; remediationSummary: string } {
  return {
    remediationSummary: matrix.remediation.summary,
    remediation: (resource) => (fill ? fillPlaceholders(matrixRemediation(matrix), fill(resource)) : matrixRemediation(matrix)),
  };
}
