import type { Resource } from '../../../model/inventory.js';

/** The buckets of `region` whose default encryption calls KMS on every object request (SSE-KMS without a Bucket Key, DSSE-KMS). */
export function kmsCallingBuckets(resources: readonly Resource[], region: string): Resource[] {
  return resources.filter(
    (r) =>
      r.service === 's3' &&
      r.type === 'bucket' &&
      r.region === region &&
      ((r.attributes.sseAlgorithm === 'aws:kms' && r.attributes.bucketKeyEnabled !== true) || r.attributes.sseAlgorithm === 'aws:kms:dsse'),
  );
}
