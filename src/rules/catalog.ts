import { allowedKeysRule } from './allowed-keys-rule.js';
import { keyStateRule } from './key-state-rule.js';
import { kmsRotationRule } from './kms-rotation-rule.js';
import { levelRule } from './level-rule.js';
import { awsConfig, fsbp, type Rule } from './rule.js';
import { s3BucketKeyRule } from './s3-bucket-key-rule.js';
import { s3SseCRule } from './s3-ssec-rule.js';

/**
 * Every rule atrest evaluates, in one list. Rule ids are a public contract:
 * users waive, override and script against them. Never rename one.
 */
export const RULES: readonly Rule[] = [
  levelRule({
    id: 'S3.ENCRYPTION_LEVEL',
    service: 's3',
    types: ['bucket'],
    title: 'S3 bucket default encryption below the policy minimum',
    compliance: [awsConfig('s3-default-encryption-kms'), fsbp('S3.17')],
  }),
  keyStateRule,
  kmsRotationRule,
  s3BucketKeyRule,
  s3SseCRule,
  allowedKeysRule,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((rule) => rule.id === id);
}
