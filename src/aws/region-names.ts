import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Region and partition knowledge, from the AWS SDK's own partition data —
 * the table its endpoint resolver uses (`partition()` of @aws-sdk/core's
 * client utilities; partitions aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b,
 * aws-iso-e, aws-iso-f, aws-eusc, … each with its regions and the regular
 * expression that new regions of the partition follow). The one place atrest
 * decides whether a string is a Region name and which partition a Region is
 * in: `--regions`, the key resolver (which keeps placeholders such as REGION
 * out of KMS calls), ARN building and policy validation all ask here.
 *
 * Cheap to load, and no SDK client: the data is read once, on first use, as
 * data — the SDK publishes it as a module that is a plain JSON object
 * (`export const partitionsInfo = {…}`, generated from the SDK's
 * partitions.json). atrest parses that object with JSON.parse and never runs
 * SDK code for it, so offline commands stay free of SDK modules (the
 * module-trace test in test/cli proves it). The package's exports map does not
 * list the file, so it is found from @aws-sdk/core's package.json (which it
 * exports). If a later SDK moves the file, the same table is asked through the
 * SDK's public `partition()` instead (loaded lazily), which knows listed
 * Regions only.
 */

interface PartitionData {
  id: string;
  regionRegex: string;
  regions: Record<string, unknown>;
  outputs: { name?: string };
}

interface PartitionTable {
  /** Where the table came from, for tests and --debug. */
  source: 'sdk-data' | 'sdk-partition-function';
  partitionOf(region: string): string | null;
  partitions(): string[];
}

const DATA_FILE = 'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js';

let table: PartitionTable | undefined;

/** The SDK's partition data as a plain object, or null when it cannot be found or read as JSON. */
export function readSdkPartitionData(): PartitionData[] | null {
  try {
    const require = createRequire(import.meta.url);
    const text = readFileSync(join(dirname(require.resolve('@aws-sdk/core/package.json')), DATA_FILE), 'utf8');
    const start = text.indexOf('{');
    const end = text.lastIndexOf('}');
    if (start < 0 || end < start) return null;
    const parsed = JSON.parse(text.slice(start, end + 1)) as { partitions?: unknown };
    if (!Array.isArray(parsed.partitions)) return null;
    const partitions = parsed.partitions.filter(
      (p): p is PartitionData => Boolean(p) && typeof p.id === 'string' && typeof p.regionRegex === 'string' && typeof p.regions === 'object',
    );
    return partitions.length > 0 ? partitions : null;
  } catch {
    return null;
  }
}

/**
 * A listed Region, or a name the partition's own pattern admits (a Region
 * launched after this SDK release). Endpoint pseudo-regions the table also
 * lists (`aws-global`, `aws-cn-global`, …) fit no partition's pattern and are
 * not Regions one can scan.
 */
function fromData(partitions: PartitionData[]): PartitionTable {
  const patterns = partitions.map((p) => ({ id: p.id, pattern: new RegExp(p.regionRegex) }));
  return {
    source: 'sdk-data',
    partitionOf(region) {
      for (const p of partitions) {
        if (Object.prototype.hasOwnProperty.call(p.regions, region) && patterns.find((x) => x.id === p.id)!.pattern.test(region)) return p.id;
      }
      return patterns.find((p) => p.pattern.test(region))?.id ?? null;
    },
    partitions: () => partitions.map((p) => p.id),
  };
}

/** The fallback: the SDK's public partition() function; a Region counts only when the table lists it (it answers "aws" for anything else). */
function fromPartitionFunction(): PartitionTable {
  const require = createRequire(import.meta.url);
  const { partition } = require('@aws-sdk/core/client') as { partition: (region: string) => { name?: string; description?: string } };
  const known = new Set<string>();
  return {
    source: 'sdk-partition-function',
    partitionOf(region) {
      const answer = partition(region);
      if (typeof answer.description !== 'string' || /-global$/.test(region) || !answer.name) return null;
      known.add(answer.name);
      return answer.name;
    },
    partitions: () => [...new Set(['aws', 'aws-cn', 'aws-us-gov', ...known])],
  };
}

function partitionTable(): PartitionTable {
  if (!table) {
    const data = readSdkPartitionData();
    table = data ? fromData(data) : fromPartitionFunction();
  }
  return table;
}

/** Whether a string is an AWS Region name the SDK's partition data knows (or its partition's pattern admits). */
export function isRegionName(value: string): boolean {
  return typeof value === 'string' && partitionTable().partitionOf(value) !== null;
}

/** The partition of a Region (`aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-eusc`, …), or null when it is no Region. */
export function partitionOfRegion(region: string): string | null {
  return partitionTable().partitionOf(region);
}

/** Every partition the SDK knows, in its order. */
export function knownPartitions(): string[] {
  return partitionTable().partitions();
}

/** Where the partition data came from (tests). */
export function partitionDataSource(): PartitionTable['source'] {
  return partitionTable().source;
}
