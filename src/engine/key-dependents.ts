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
    const own = resource.protection.keyArn;
    if (own) add(index, own, resource);
    // Its other keys (a Lambda function's .zip package key): once each, and not again for its own key.
    const related = relatedKeys(resource);
    if (related.length === 0) continue;
    const arns = new Set<string>(own ? [own] : []);
    for (const { keyArn } of related) {
      if (!keyArn || arns.has(keyArn)) continue;
      arns.add(keyArn);
      add(index, keyArn, resource);
    }
  }
  // In place and stable (equal ARNs keep inventory order): the lists are this index's own.
  for (const list of index.values()) list.sort((a, b) => compareStrings(a.arn, b.arn));
  return index;
}

function add(index: Map<string, Resource[]>, arn: string, resource: Resource): void {
  const list = index.get(arn);
  if (list) list.push(resource);
  else index.set(arn, [resource]);
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
