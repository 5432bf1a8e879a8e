import type { IacKindFacts, IacKindMapping } from './mapping.js';
import { DYNAMODB_IAC_FACTS, dynamodbIacMapping } from '../services/dynamodb/iac.js';
import { EBS_IAC_FACTS, ebsIacMapping } from '../services/ebs/iac.js';
import { KMS_IAC_FACTS, kmsIacMapping } from '../services/kms/iac.js';
import { LAMBDA_IAC_FACTS, lambdaIacMapping } from '../services/lambda/iac.js';
import { RDS_IAC_FACTS, rdsIacMapping } from '../services/rds/iac.js';
import { REDSHIFT_IAC_FACTS, redshiftIacMapping } from '../services/redshift/iac.js';
import { S3_IAC_FACTS, s3IacMapping } from '../services/s3/iac.js';

/**
 * The resource-kind mappings of every service, each in its service's folder
 * (src/services/<service>/iac.ts). When the service descriptors of the
 * layout land, this list becomes a field of each descriptor.
 */
export const IAC_MAPPINGS: readonly IacKindMapping[] = [kmsIacMapping, s3IacMapping, ebsIacMapping, rdsIacMapping, dynamodbIacMapping, lambdaIacMapping, redshiftIacMapping];

/** The defaults table of docs/iac.md, per resource kind, with the documentation each fact comes from. */
export const IAC_FACTS: readonly IacKindFacts[] = [...S3_IAC_FACTS, ...EBS_IAC_FACTS, ...RDS_IAC_FACTS, ...DYNAMODB_IAC_FACTS, ...LAMBDA_IAC_FACTS, ...REDSHIFT_IAC_FACTS, ...KMS_IAC_FACTS];

/** The mapping that turns a kind into records, if any. */
export function mappingFor(kind: string): IacKindMapping | undefined {
  return IAC_MAPPINGS.find((m) => m.kinds.includes(kind));
}
