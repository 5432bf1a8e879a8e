import type { Requirement } from '../policy/requirement.js';
import type { RuleOutcome } from './rule.js';

/**
 * Runs a rule's judgement under the resource's requirement. When its tags
 * could not be read (`requirement.undecided`), the judgement is also run
 * under every tag override that could have matched: if all agree, that is
 * the outcome, and the message says the tags were unreadable but did not
 * matter; if they disagree, the outcome is `unknown` and the message lists
 * what each possibility would give. Never a silent fall-back to the service
 * setting.
 */
export function decideUnderTags(requirement: Requirement, judge: (requirement: Requirement) => RuleOutcome): RuleOutcome {
  const undecided = requirement.undecided;
  if (!undecided) return judge(requirement);
  const { undecided: _, ...plain } = requirement;
  const base = judge({ ...plain, tagsUnavailable: false });
  const others = undecided.alternatives.map((alternative) => ({ alternative, outcome: judge(alternative) }));
  const { operation, code, message } = undecided.error;
  const reason = `the resource's tags could not be read (${operation} ${code}: ${message})`;
  if (others.every(({ outcome }) => outcome.status === base.status)) {
    return { ...base, message: `${base.message}; ${reason}, but no tag override that could apply changes the result` };
  }
  const possibilities = [
    `if no tag override matches: ${base.status} (${base.message})`,
    ...others.map(({ alternative, outcome }) => `if tag override "${alternative.override!.name}" matches: ${outcome.status} (${outcome.message})`),
  ];
  return { status: 'unknown', message: `cannot decide: ${reason}, and the result depends on them — ${possibilities.join('; ')}` };
}
