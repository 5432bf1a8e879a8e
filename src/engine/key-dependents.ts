import { relatedKeys } from '../keys/related-keys.js';
import type { Resource } from '../model/inventory.js';
import { compareStrings, sortBy } from '../util/sort.js';

/**
 * The reverse of `protection.keyArn` and of the other keys a resource names
 * (`attributes.relatedKeys`, such as a Lambda function's .zip package key):
 * for each key, the resources whose data it protects, each once. Pure, built
 * from the inventory alone. KMS key records are not their own dependants (a
 * key resource points at itself).
 */
export function dependentsIndex(resources: readonly Resource[]): Map<string, Resource[]> {
  const index = new Map<string, Resource[]>();
  for (const resource of resources) {
    if (resource.service === 'kms') continue;
    const arns = new Set<string>();
    if (resource.protection.keyArn) arns.add(resource.protection.keyArn);
    for (const related of relatedKeys(resource)) if (related.keyArn) arns.add(related.keyArn);
    for (const arn of arns) {
      const list = index.get(arn) ?? [];
      list.push(resource);
      index.set(arn, list);
    }
  }
  for (const [arn, list] of index) index.set(arn, sortBy(list, (r) => [r.arn]));
  return index;
}

/** Dependant counts per service, keys in alphabetical order. */
export function countByService(dependents: readonly Resource[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of sortBy(dependents, (d) => [d.service])) counts[r.service] = (counts[r.service] ?? 0) + 1;
  return counts;
}

/** "3 resources depend on it (ebs 2, s3 1): arn1, arn2, arn3", naming at most `max` ARNs. */
export function describeDependents(dependents: readonly Resource[], max = 10): string {
  if (dependents.length === 0) return 'no resource in the scanned services depends on it';
  const counts = Object.entries(countByService(dependents))
    .map(([service, n]) => `${service} ${n}`)
    .join(', ');
  const arns = [...new Set(dependents.map((d) => d.arn))].sort(compareStrings);
  const named = arns.slice(0, max).join(', ');
  const more = arns.length > max ? ` and ${arns.length - max} more (see keys[].dependents)` : '';
  const noun = dependents.length === 1 ? 'resource depends' : 'resources depend';
  return `${dependents.length} ${noun} on it (${counts}): ${named}${more}`;
}
