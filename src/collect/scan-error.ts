import type { ScanError } from '../model/inventory.js';

/**
 * The scan error for a failed call, as every check and the key resolver
 * record it: `info` is what describeAwsError made of the thrown error (or a
 * `{code, message}` of our own), `resourceArn` the resource the call was about.
 */
export function scanError(
  service: ScanError['service'],
  region: string,
  operation: string,
  info: { code: string; message: string },
  resourceArn?: string,
): ScanError {
  return { service, region, operation, code: info.code, message: info.message, ...(resourceArn ? { resourceArn } : {}) };
}
