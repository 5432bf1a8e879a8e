import { awsOwned, protectionFromKey, unreadable } from '../../collect/protection.js';
import type { Json, Protection, Resource } from '../../model/inventory.js';
import { evidenceOf, record, refText, type IacKindFacts, type IacKindMapping, type MapContext, type ServiceIac } from '../../iac/mapping.js';
import type { CodeResource } from '../../iac/model.js';
import { Unknown, isMap, readBlocks, readBool, readString, whyUnknown } from '../../iac/value.js';
import { dynamodbSetKey } from './iac-fix.js';

/**
 * DynamoDB tables in infrastructure code, as the DynamoDB check reads a live
 * table (type `table`; attributes sseStatus, sseType, keyInaccessible,
 * globalTable, replicaRegions, replicas).
 *
 * Defaults: no server_side_encryption / SSESpecification, or encryption not
 * enabled: the AWS owned key (DynamoDB always encrypts); enabled without a
 * key: the AWS managed key aws/dynamodb; a key: that key. SSEType KMS never
 * decides the level alone.
 */

const TF_DOCS = 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table';
const CFN_DOCS = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-dynamodb-table-ssespecification.html';
const DDB_DOCS = 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.howitworks.html';
const DYNAMODB_KEY_ALIAS = 'alias/aws/dynamodb';

export const DYNAMODB_IAC_FACTS: IacKindFacts[] = [
  {
    kind: 'aws_dynamodb_table',
    format: 'terraform',
    service: 'dynamodb',
    types: ['table'],
    defaults: 'server_side_encryption omitted, or enabled = false: the AWS owned key (aws-owned); enabled = true without kms_key_arn: the AWS managed key aws/dynamodb; replica blocks name each replica Region (and its key)',
    docs: [TF_DOCS, DDB_DOCS],
  },
  {
    kind: 'AWS::DynamoDB::Table',
    format: 'cloudformation',
    service: 'dynamodb',
    types: ['table'],
    defaults: 'SSESpecification omitted, or SSEEnabled false: the AWS owned key; SSEEnabled true (SSEType KMS) without KMSMasterKeyId: aws/dynamodb',
    docs: [CFN_DOCS, DDB_DOCS],
  },
];

export const dynamodbIacMapping: IacKindMapping = {
  service: 'dynamodb',
  kinds: ['aws_dynamodb_table', 'AWS::DynamoDB::Table'],
  map(resource: CodeResource, ctx: MapContext): Resource[] {
    if (resource.mode !== 'managed') return [];
    const cfn = resource.format === 'cloudformation';
    const v = resource.values;
    const region = ctx.region(resource);
    let enabled: boolean | Unknown | undefined;
    let keyValue = undefined as (typeof v)[string] | undefined;
    let protection: Protection;
    if (cfn) {
      const sse = v.SSESpecification;
      if (sse instanceof Unknown) enabled = sse;
      else if (isMap(sse)) {
        const e = readBool(sse.SSEEnabled);
        enabled = e === undefined ? false : typeof e === 'boolean' ? e : new Unknown(whyUnknown(e));
        keyValue = sse.KMSMasterKeyId;
      }
    } else {
      const block = readBlocks(v.server_side_encryption)[0];
      if (block instanceof Unknown) enabled = block;
      else if (block) {
        const e = readBool(block.enabled);
        enabled = e === undefined ? false : typeof e === 'boolean' ? e : new Unknown(whyUnknown(e));
        keyValue = block.kms_key_arn;
      }
    }
    const where = cfn ? 'SSESpecification' : 'server_side_encryption';
    if (enabled instanceof Unknown) protection = unreadable(`${where} is not known before deployment: ${enabled.reason}`);
    else if (!enabled) {
      protection = awsOwned('DEFAULT', [enabled === undefined ? `no ${where}: DynamoDB encrypts with its AWS owned key (the default)` : `${where} not enabled: the AWS owned key`]);
    } else {
      const noKey = keyValue === undefined || keyValue === null || keyValue === '';
      const notes = noKey ? [`${where} enabled without a key: the AWS managed key aws/dynamodb`] : [];
      protection = protectionFromKey(noKey ? null : refText(keyValue), ctx.keys.resolve(noKey ? DYNAMODB_KEY_ALIAS : keyValue, resource, region), 'KMS', notes);
    }
    const replicas = (cfn ? [] : readBlocks(v.replica)).map((r) => {
      if (r instanceof Unknown) return { region: 'unknown', status: null, kmsMasterKeyId: null };
      const name = readString(r.region_name);
      return { region: typeof name === 'string' ? name : 'unknown', status: null, kmsMasterKeyId: refText(r.kms_key_arn) };
    });
    const attributes: { [key: string]: Json } = {
      tableStatus: null,
      sseStatus: enabled === true ? 'ENABLED' : null,
      sseType: enabled === true ? 'KMS' : null,
      // A table the code creates has not lost its key; a key that is unusable already is KMS.KEY_STATE's finding.
      keyInaccessible: false,
      inaccessibleEncryptionDateTime: null,
      archivalReason: null,
      archivalBackupArn: null,
      globalTable: replicas.length > 0,
      replicaRegions: replicas.map((r) => r.region).sort(),
      replicas: replicas as Json,
    };
    return [
      record(resource, ctx, {
        service: 'dynamodb',
        type: 'table',
        protection,
        attributes,
        evidence: evidenceOf(v, cfn ? ['TableName', 'SSESpecification'] : ['name', 'server_side_encryption']),
        tags: cfn ? v.Tags : v.tags,
      }),
    ];
  },
};

export const dynamodbIac: ServiceIac = { mapping: dynamodbIacMapping, facts: DYNAMODB_IAC_FACTS, setKey: dynamodbSetKey };
