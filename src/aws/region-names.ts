import { partition } from '@aws-sdk/core/client';

/**
 * Whether a string is an AWS Region name. The one place this is decided:
 * `--regions`, the region of the first calls and the key resolver (which
 * keeps placeholders such as REGION out of KMS calls) all ask here, so it
 * can be replaced in one place (issue 10, item 14).
 *
 * The SDK's own partition data answers first: every region of aws, aws-cn,
 * aws-us-gov, aws-iso*, aws-eusc this SDK release knows (eusc-de-east-1
 * included). Its pseudo-regions (`aws-global`, `aws-cn-global`, …) are
 * endpoints, not places resources live. A name the SDK does not know falls
 * back to the shape test, because a region newer than the SDK is still a
 * region; EC2 DescribeRegions, asked for every scan, is the final word on
 * which regions exist and are enabled (src/commands/aws-session.ts).
 */
const REGION_SHAPE = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

export function isRegionName(value: string): boolean {
  const known = partition(value) as { name: string; description?: string };
  if (value === `${known.name}-global`) return false;
  return known.description !== undefined || REGION_SHAPE.test(value);
}

/** The partition (aws, aws-cn, aws-us-gov, aws-eusc, …) the SDK's partition data puts `region` in. */
export function partitionOfRegion(region: string): string {
  return (partition(region) as { name: string }).name;
}
