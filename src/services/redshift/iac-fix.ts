import { cfnSet, keyCfn, target, tfKey, tfSet } from '../../iac/fix-helpers.js';
import { hcl, type FixBuilder } from '../../iac/fix-model.js';

/**
 * Redshift fixes as code. A provisioned cluster's encryption and key change
 * in place, but Redshift migrates the data meanwhile (RA3: reads and writes
 * go on; other node types are read-only until it ends): the summary says so.
 * A Serverless namespace changes its key in place.
 */
export const redshiftSetKey: FixBuilder = (input) => {
  const { resource, key } = input;
  const { value, extra } = tfKey(key);
  if (resource.type === 'cluster') {
    const t = target(resource, 'aws_redshift_cluster');
    const ra3 = resource.attributes.ra3 === true ? 'RA3: reads and writes go on meanwhile' : 'not RA3: the cluster is read-only until the migration ends';
    return {
      summary: `encrypt the cluster with ${key.value} (encrypted = true, kms_key_id): changed in place, Redshift migrates the data (${ra3})`,
      terraform: [...extra, tfSet(t, [], [['encrypted', hcl.bool(true)], ['kms_key_id', value]], 'encrypted', resource.id)],
      cloudformation: [cfnSet(resource, t, { Encrypted: true, KmsKeyId: keyCfn(key) })],
      replacement: false,
      ...(t.live ? { cli: [`aws redshift modify-cluster --region ${resource.region} --cluster-identifier ${resource.id} --encrypted --kms-key-id ${key.value}`] } : {}),
    };
  }
  if (resource.type === 'serverless-namespace') {
    const t = target(resource, 'aws_redshiftserverless_namespace');
    return {
      summary: `change the namespace key to ${key.value} (in place, the data stays as it is)`,
      terraform: [...extra, tfSet(t, [], [['kms_key_id', value]], 'kms_key_id', resource.id)],
      cloudformation: [cfnSet(resource, t, { KmsKeyId: keyCfn(key) })],
      replacement: false,
      ...(t.live ? { cli: [`aws redshift-serverless update-namespace --region ${resource.region} --namespace-name ${resource.attributes.namespaceName ?? resource.id} --kms-key-id ${key.value}`] } : {}),
    };
  }
  return null;
};
