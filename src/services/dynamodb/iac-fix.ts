import { cfnSet, keyCfn, target, tfKey, tfSet } from '../../iac/fix-helpers.js';
import { hcl, type FixBuilder } from '../../iac/fix-model.js';

/** DynamoDB fixes as code: the table key changes in place (UpdateTable), no replacement. */
export const dynamodbSetKey: FixBuilder = (input) => {
  const { resource, key } = input;
  if (resource.type !== 'table') return null;
  const t = target(resource, 'aws_dynamodb_table');
  const { value, extra } = tfKey(key);
  return {
    summary: `encrypt the table with ${key.value} (in place, no downtime)`,
    terraform: [...extra, tfSet(t, ['server_side_encryption'], [['enabled', hcl.bool(true)], ['kms_key_arn', value]], 'server_side_encryption', resource.id)],
    cloudformation: [cfnSet(resource, t, { SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyCfn(key) } })],
    replacement: false,
    ...(t.live ? { cli: [`aws dynamodb update-table --region ${resource.region} --table-name ${resource.id} --sse-specification Enabled=true,SSEType=KMS,KMSMasterKeyId=${key.value}`] } : {}),
  };
};
