import { lambdaMatrix } from './matrix.js';
import { isCustomerManaged } from '../../model/levels.js';
import type { Json, Resource } from '../../model/inventory.js';
import { levelRule } from '../../rules/level-rule.js';
import { DEFAULT_SECRET_NAME_PATTERNS, secretLookingNames } from './secret-names.js';
import { SECRET_SHAPE_WORDS, type SecretShape } from './secret-values.js';
import type { Rule } from '../../rules/rule.js';
import { staticFix } from '../../rules/rule-detail.js';

/** The Lambda resource types: functions ($LATEST) and the published versions an alias or SnapStart keeps alive. */
export const LAMBDA_TYPES = ['function', 'function-version'];

/**
 * LAMBDA.ENV_ENCRYPTION: the key protecting a function's environment
 * variables, against the policy minimum (the levelRule factory). A function
 * without environment variables has nothing in scope for that key:
 * `not-applicable`, neither a pass nor a fail. Secret-looking variables are
 * LAMBDA.ENV_SECRETS's business, a failing finding of their own.
 */
const base = levelRule({
  id: 'LAMBDA.ENV_ENCRYPTION',
  matrix: lambdaMatrix,
  types: LAMBDA_TYPES,
  title: 'Lambda environment variables key below the policy minimum',
});

export const lambdaEnvEncryptionRule: Rule = {
  ...base,
  rationale: `${base.rationale} Environment variables are readable by anyone allowed lambda:GetFunctionConfiguration and to decrypt with their key; with the AWS managed key aws/lambda that is every such principal in the account, with a customer managed key only those its key policy allows.`,
  evaluate(resource, context) {
    if (resource.attributes.hasEnvironmentVariables === false) {
      return { status: 'not-applicable', message: 'the function has no environment variables: nothing for this key to protect' };
    }
    const outcome = base.evaluate(resource, context);
    if (resource.attributes.environmentVariableNames === null && typeof resource.attributes.environmentError === 'string') {
      outcome.message = `${outcome.message}; variable names unreadable: Lambda reported ${resource.attributes.environmentError}`;
    }
    return outcome;
  },
};

function names(resource: Resource): string[] {
  const list = resource.attributes.environmentVariableNames;
  return Array.isArray(list) ? list.filter((n): n is string => typeof n === 'string') : [];
}

/** The check's value-shape findings: {name, kind} pairs, or null when the inventory has none recorded (older inventories). */
function shapes(value: Json | undefined): Array<{ name: string; kind: SecretShape }> | null {
  if (!Array.isArray(value)) return null;
  return value.flatMap((item) =>
    item && typeof item === 'object' && !Array.isArray(item) && typeof item.name === 'string' && typeof item.kind === 'string' && item.kind in SECRET_SHAPE_WORDS
      ? [{ name: item.name, kind: item.kind as SecretShape }]
      : [],
  );
}

/**
 * LAMBDA.ENV_SECRETS: environment variables that look like secrets, by their
 * NAME (policy.secretNamePatterns) or by the shape of their VALUE (an AWS
 * access key id, a private key block, a JWT, a connection string with a
 * password, a long high-entropy token — decided by the check while it held
 * the value, src/services/lambda/secret-values.ts; the inventory keeps only
 * the name and the kind). It fails whatever the key and whatever the policy
 * minimum: environment variables are configuration, not a secret store —
 * readable by every principal allowed lambda:GetFunctionConfiguration and
 * kms:Decrypt on their key (with aws/lambda, everyone in the account with the
 * first). Medium under baseline; the strict policy raises it to high
 * (src/policy/built-in.ts).
 */
export const lambdaEnvSecretsRule: Rule = {
  id: 'LAMBDA.ENV_SECRETS',
  title: 'Lambda environment variables that look like secrets',
  rationale:
    'Lambda environment variables are function configuration: anyone allowed lambda:GetFunctionConfiguration (and, for the value, kms:Decrypt on the variables\' key — with the AWS managed key aws/lambda, every such principal in the account) reads them in clear, and they are copied into every published version. Secrets belong in AWS Secrets Manager or SSM Parameter Store SecureString, fetched at run time under the function\'s role. A variable counts when its name matches the policy\'s secretNamePatterns or its value had the shape of a credential when atrest read it (the value itself is never kept).',
  severity: 'medium',
  matrixFacts: [],
  appliesTo: (r: Resource) => r.service === 'lambda' && LAMBDA_TYPES.includes(r.type),
  evaluate(resource, context) {
    const a = resource.attributes;
    if (a.hasEnvironmentVariables === false) return { status: 'not-applicable', message: 'the function has no environment variables' };
    if (a.environmentVariableNames === null || a.environmentVariableNames === undefined) {
      const why = typeof a.environmentError === 'string' ? `Lambda reported ${a.environmentError}` : 'the inventory holds no variable names';
      return { status: 'unknown', message: `the variable names could not be read: ${why}` };
    }
    const byName = new Set(secretLookingNames(names(resource), context.policy.secretNamePatterns ?? DEFAULT_SECRET_NAME_PATTERNS));
    const byValue = shapes(a.environmentSecretShapes);
    const kinds = new Map((byValue ?? []).map((s) => [s.name, s.kind]));
    const flagged = [...new Set([...byName, ...kinds.keys()])].sort();
    const valuesNote = byValue === null ? ' (the inventory records no value shapes: values were not inspected when it was collected)' : '';
    if (flagged.length === 0) {
      return { status: 'pass', message: `no environment variable looks like a secret, by name or by the shape of its value${valuesNote}` };
    }
    const described = flagged.map((name) => {
      const why = [byName.has(name) ? 'name' : null, kinds.has(name) ? `value looks like ${SECRET_SHAPE_WORDS[kinds.get(name)!]}` : null].filter(Boolean);
      return `${name} (${why.join('; ')})`;
    });
    const readers = isCustomerManaged(resource.protection.level)
      ? `readable by every principal allowed lambda:GetFunctionConfiguration and kms:Decrypt on its customer managed key ${resource.protection.keyArn ?? ''}`.trimEnd()
      : resource.protection.level === 'aws-managed'
        ? 'readable by every principal in the account allowed lambda:GetFunctionConfiguration (the AWS managed key aws/lambda lets them all decrypt)'
        : 'readable by every principal allowed lambda:GetFunctionConfiguration and to decrypt with their key';
    return {
      status: 'fail',
      message: `${flagged.length} environment variable(s) look like secrets: ${described.join(', ')}; ${readers}${valuesNote}`,
    };
  },
  ...staticFix(
    'move the secrets to AWS Secrets Manager (or SSM Parameter Store SecureString), read them at run time under the function role, and remove them from the environment variables and from published versions',
    (resource) => {
      const fn = typeof resource.attributes.functionName === 'string' ? resource.attributes.functionName : resource.id;
      return {
        path: 'in-place',
        steps: [
          'aws secretsmanager create-secret --name FUNCTION/NAME --secret-string file://secret.json (one per secret; rotate the value while moving it: it has been readable in the function configuration)',
          `grant the function role secretsmanager:GetSecretValue on the secret, read it in the code (or with the AWS Parameters and Secrets Lambda Extension), then: aws lambda update-function-configuration --function-name ${fn} --environment 'Variables={...without the secrets...}'`,
          'publish a new version and move aliases to it; delete published versions that still carry the secrets (aws lambda delete-function --function-name FUNCTION --qualifier VERSION)',
        ],
        cli: `aws lambda update-function-configuration --function-name ${fn} --environment 'Variables={...without the secrets...}'`,
        docs: 'https://docs.aws.amazon.com/lambda/latest/dg/with-secrets-manager.html',
      };
    },
  ),
};

/** Every Lambda rule. */
export const LAMBDA_RULES: readonly Rule[] = [lambdaEnvEncryptionRule, lambdaEnvSecretsRule];
