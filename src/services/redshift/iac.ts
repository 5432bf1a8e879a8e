import { awsOwned, protectionFromKey, unencrypted, unreadable } from '../../collect/protection.js';
import type { Json, Protection, Resource } from '../../model/inventory.js';
import { evidenceOf, record, refText, type IacKindFacts, type IacKindMapping, type MapContext, type ServiceIac } from '../../iac/mapping.js';
import type { CodeResource } from '../../iac/model.js';
import { readBool, readString, whyUnknown } from '../../iac/value.js';
import { redshiftSetKey } from './iac-fix.js';

/**
 * Redshift in infrastructure code: provisioned clusters (type `cluster`,
 * attributes encrypted, nodeType, ra3, hsmConfiguration, …) and Serverless
 * namespaces (type `serverless-namespace`), as the Redshift check reads them.
 *
 * Defaults: a provisioned cluster created since 2025-01-10 is encrypted —
 * CreateCluster's Encrypted defaults to true and a request with false fails —
 * with an AWS owned key unless a KMS key (or an HSM) is chosen. A Serverless
 * namespace is always encrypted, with an AWS owned key unless kms_key_id /
 * KmsKeyId names one.
 */

export const REDSHIFT_DEFAULT_ENCRYPTION_DATE = '2025-01-10';
const TF = 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/';
const CFN = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/';
const API = 'https://docs.aws.amazon.com/redshift/latest/APIReference/API_CreateCluster.html';
const DOCS = 'https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html';

export const REDSHIFT_IAC_FACTS: IacKindFacts[] = [
  {
    kind: 'aws_redshift_cluster',
    format: 'terraform',
    service: 'redshift',
    types: ['cluster'],
    defaults: `encrypted omitted: encrypted (CreateCluster's default since ${REDSHIFT_DEFAULT_ENCRYPTION_DATE}), with Redshift's AWS owned key unless kms_key_id names one; encrypted = false: unencrypted (CreateCluster rejects it for a new cluster; an existing cluster is modified to unencrypted); hsm_configuration_identifier: customer-managed-hsm`,
    docs: [`${TF}redshift_cluster`, API, DOCS],
  },
  {
    kind: 'aws_redshiftserverless_namespace',
    format: 'terraform',
    service: 'redshift',
    types: ['serverless-namespace'],
    defaults: 'always encrypted: kms_key_id omitted is the AWS owned key',
    docs: [`${TF}redshiftserverless_namespace`, 'https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-workgroups-and-namespaces-rotate-kms-key.html'],
  },
  {
    kind: 'AWS::Redshift::Cluster, AWS::RedshiftServerless::Namespace',
    format: 'cloudformation',
    service: 'redshift',
    types: ['cluster', 'serverless-namespace'],
    defaults: `Cluster Encrypted omitted: encrypted with an AWS owned key since ${REDSHIFT_DEFAULT_ENCRYPTION_DATE} unless KmsKeyId (or HsmConfigurationIdentifier); Namespace KmsKeyId omitted: AWS owned key`,
    docs: [`${CFN}aws-resource-redshift-cluster.html`, `${CFN}aws-resource-redshiftserverless-namespace.html`, API],
  },
];

function clusterProtection(ctx: MapContext, resource: CodeResource): Protection {
  const cfn = resource.format === 'cloudformation';
  const v = resource.values;
  const encrypted = readBool(cfn ? v.Encrypted : v.encrypted);
  const hsm = readString(cfn ? v.HsmConfigurationIdentifier : v.hsm_configuration_identifier);
  const keyValue = cfn ? v.KmsKeyId : v.kms_key_id;
  const flag = cfn ? 'Encrypted' : 'encrypted';
  if (encrypted !== undefined && typeof encrypted !== 'boolean') return unreadable(`${flag} is not known before deployment: ${whyUnknown(encrypted)}`);
  if (encrypted === false) {
    return unencrypted([`${flag} = false: CreateCluster rejects an unencrypted new cluster since ${REDSHIFT_DEFAULT_ENCRYPTION_DATE} (the apply fails), and an existing cluster is migrated to unencrypted`]);
  }
  if (typeof hsm === 'string') {
    return { level: 'customer-managed-hsm', keyArn: null, keyRef: null, algorithm: 'HSM', notes: [`encrypted through a hardware security module (${hsm}): the cluster key lives in the customer's HSM, not in KMS`] };
  }
  const noKey = keyValue === undefined || keyValue === null || keyValue === '';
  const why = encrypted === true ? `${flag} = true` : `${flag} not set: CreateCluster encrypts by default since ${REDSHIFT_DEFAULT_ENCRYPTION_DATE}`;
  if (noKey) return awsOwned(null, [`${why}, with no KMS key: Redshift's AWS owned key`]);
  return protectionFromKey(refText(keyValue), ctx.keys.resolve(keyValue, resource, ctx.region(resource)), null, encrypted === true ? [] : [why]);
}

export const redshiftIacMapping: IacKindMapping = {
  service: 'redshift',
  kinds: ['aws_redshift_cluster', 'aws_redshiftserverless_namespace', 'AWS::Redshift::Cluster', 'AWS::RedshiftServerless::Namespace'],
  map(resource: CodeResource, ctx: MapContext): Resource[] {
    if (resource.mode !== 'managed') return [];
    const cfn = resource.format === 'cloudformation';
    const v = resource.values;
    if (resource.kind === 'aws_redshift_cluster' || resource.kind === 'AWS::Redshift::Cluster') {
      const protection = clusterProtection(ctx, resource);
      const node = readString(cfn ? v.NodeType : v.node_type);
      const hsm = readString(cfn ? v.HsmConfigurationIdentifier : v.hsm_configuration_identifier);
      const attributes: { [key: string]: Json } = {
        encrypted: protection.level === 'none' ? false : protection.level === 'unknown' ? null : true,
        nodeType: typeof node === 'string' ? node : null,
        ra3: typeof node === 'string' ? node.toLowerCase().startsWith('ra3.') : null,
        clusterCreateTime: null,
        createdBeforeDefaultEncryption: false,
        clusterStatus: null,
        keyInaccessible: false,
        hsmConfiguration: typeof hsm === 'string' ? hsm : null,
        namespaceArn: null,
      };
      return [
        record(resource, ctx, {
          service: 'redshift',
          type: 'cluster',
          protection,
          attributes,
          evidence: evidenceOf(v, cfn ? ['Encrypted', 'KmsKeyId', 'NodeType', 'HsmConfigurationIdentifier'] : ['encrypted', 'kms_key_id', 'node_type', 'hsm_configuration_identifier']),
          tags: cfn ? v.Tags : v.tags,
        }),
      ];
    }
    const keyValue = cfn ? v.KmsKeyId : v.kms_key_id;
    const noKey = keyValue === undefined || keyValue === null || keyValue === '' || keyValue === 'AWS_OWNED_KMS_KEY';
    const protection = noKey
      ? awsOwned(null, [`no KMS key: Redshift Serverless encrypts with an AWS owned key`])
      : protectionFromKey(refText(keyValue), ctx.keys.resolve(keyValue, resource, ctx.region(resource)), null);
    const name = readString(cfn ? v.NamespaceName : v.namespace_name);
    return [
      record(resource, ctx, {
        service: 'redshift',
        type: 'serverless-namespace',
        protection,
        attributes: { namespaceName: typeof name === 'string' ? name : null, status: null, creationDate: null },
        evidence: evidenceOf(v, cfn ? ['NamespaceName', 'KmsKeyId'] : ['namespace_name', 'kms_key_id']),
        tags: cfn ? v.Tags : v.tags,
      }),
    ];
  },
};

export const redshiftIac: ServiceIac = { mapping: redshiftIacMapping, facts: REDSHIFT_IAC_FACTS, setKey: redshiftSetKey };
