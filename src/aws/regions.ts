import { STSClient } from '@aws-sdk/client-sts';
import type { ClientFactory } from './clients.js';
import { UsageError } from '../errors.js';
import { isRegionName } from './region-names.js';

/** Parses `--regions a,b`; every name must look like a region. */
export function parseRegionList(value: string): string[] {
  const regions = [...new Set(value.split(',').map((r) => r.trim()).filter(Boolean))];
  if (regions.length === 0) throw new UsageError('--regions needs at least one region, e.g. --regions us-east-1,eu-west-1');
  for (const region of regions) {
    if (!isRegionName(region)) {
      throw new UsageError(`--regions: "${region}" is not an AWS region name (expected something like us-east-1)`);
    }
  }
  return regions;
}

/** The region of the profile or environment (AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`). */
export async function defaultRegion(clients: ClientFactory): Promise<string> {
  try {
    const client = new STSClient(clients.baseConfig());
    const region = await client.config.region();
    client.destroy();
    if (region && isRegionName(region)) return region;
  } catch {
    // fall through to the usage error below
  }
  throw new UsageError('no region: pass --regions (e.g. --regions us-east-1), set AWS_REGION, or set region in the profile');
}
