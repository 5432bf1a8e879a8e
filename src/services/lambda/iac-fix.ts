import { cfnSet, keyCfn, target, tfKey, tfSet } from '../../iac/fix-helpers.js';
import type { FixBuilder } from '../../iac/fix-model.js';

/** Lambda fixes as code: the environment-variables key changes in place; the execution role needs kms:Decrypt on it. */
export const lambdaSetKey: FixBuilder = (input) => {
  const { resource, key } = input;
  if (resource.type !== 'function') return null;
  const t = target(resource, 'aws_lambda_function');
  const { value, extra } = tfKey(key);
  return {
    summary: `encrypt the environment variables with ${key.value} (in place); allow the execution role kms:Decrypt on the key`,
    terraform: [...extra, tfSet(t, [], [['kms_key_arn', value]], 'kms_key_arn', resource.id)],
    cloudformation: [cfnSet(resource, t, { KmsKeyArn: keyCfn(key) })],
    replacement: false,
    ...(t.live ? { cli: [`aws lambda update-function-configuration --region ${resource.region} --function-name ${resource.id} --kms-key-arn ${key.value}`] } : {}),
  };
};
