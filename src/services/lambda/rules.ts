import { lambdaMatrix } from './matrix.js';
import { isCustomerManaged } from '../../model/levels.js';
import type { Resource } from '../../model/inventory.js';
import type { Severity } from '../../model/severity.js';
import { levelRule } from '../../rules/level-rule.js';
import { DEFAULT_SECRET_NAME_PATTERNS, secretLookingNames } from './secret-names.js';
import type { Rule } from '../../rules/rule.js';

/**
 * LAMBDA.ENV_ENCRYPTION: the key protecting a function's environment
 * variables, against the policy minimum (the levelRule factory), plus two
 * Lambda facts the factory cannot know:
 * - a function without environment variables has nothing in scope for that
 *   key: `not-applicable`, neither a pass nor a fail;
 * - variable NAMES that look like secrets (policy.secretNamePatterns) on a
 *   function without a customer managed key raise the severity of a failing
 *   finding one step, and the message lists them. With aws/lambda, anyone in
 *   the account allowed lambda:GetFunctionConfiguration can read the values;
 *   a customer managed key limits that to principals the key policy allows.
 *   The inventory holds names only, so that is all the rule can see.
 */

const base = levelRule({
  id: 'LAMBDA.ENV_ENCRYPTION',
  matrix: lambdaMatrix,
  types: ['function'],
  title: 'Lambda environment variables key below the policy minimum',
});

const RAISE: Record<Severity, Severity> = { info: 'low', low: 'medium', medium: 'high', high: 'critical', critical: 'critical' };

function names(resource: Resource): string[] {
  const list = resource.attributes.environmentVariableNames;
  return Array.isArray(list) ? list.filter((n): n is string => typeof n === 'string') : [];
}

export const lambdaEnvEncryptionRule: Rule = {
  ...base,
  rationale: `${base.rationale} Environment variables are readable by anyone allowed lambda:GetFunctionConfiguration and to decrypt with their key; with the AWS managed key aws/lambda that is every such principal in the account, with a customer managed key only those its key policy allows. Variable names that look like secrets (policy secretNamePatterns) on a function without a customer managed key raise the severity.`,
  evaluate(resource, context) {
    if (resource.attributes.hasEnvironmentVariables === false) {
      return { status: 'not-applicable', message: 'the function has no environment variables: nothing for this key to protect' };
    }
    const outcome = base.evaluate(resource, context);
    if (resource.attributes.environmentVariableNames === null && typeof resource.attributes.environmentError === 'string') {
      outcome.message = `${outcome.message}; variable names unreadable: Lambda reported ${resource.attributes.environmentError}`;
    }
    if (outcome.status === 'unknown' || isCustomerManaged(resource.protection.level)) return outcome;
    const secrets = secretLookingNames(names(resource), context.policy.secretNamePatterns ?? DEFAULT_SECRET_NAME_PATTERNS);
    if (secrets.length === 0) return outcome;
    const list = secrets.join(', ');
    if (outcome.status === 'fail') {
      return {
        ...outcome,
        severity: RAISE[outcome.severity ?? base.severity],
        message: `${outcome.message}; secret-looking variable names without a customer managed key: ${list}`,
      };
    }
    return {
      ...outcome,
      message: `${outcome.message}; note: secret-looking variable names ${list} are readable by every principal in the account allowed lambda:GetFunctionConfiguration (a policy minimum of customer-managed for lambda would fail this)`,
    };
  },
};

/** Every Lambda rule. */
export const LAMBDA_RULES: readonly Rule[] = [lambdaEnvEncryptionRule];
