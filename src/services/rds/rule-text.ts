import type { Resource } from '../../model/inventory.js';
import type { RuleOutcome } from '../../rules/rule.js';

/** Pieces of finding text and documentation that the RDS and Aurora rules share. */

export const RDS_DOCS = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html';
export const AURORA_COPY_DOCS = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-copy-snapshot.html';
export const RDS_COPY_DOCS = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_CopySnapshot.html';

/** The snapshot resource types of the RDS API. */
export const SNAPSHOT_TYPES = ['db-snapshot', 'db-cluster-snapshot'];

/** A non-empty string attribute, or null. */
export function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** "covers member instance(s) a, b" for a cluster with members, or null. */
export function memberText(resource: Resource): string | null {
  const members = Array.isArray(resource.attributes.members) ? resource.attributes.members.filter((m): m is string => typeof m === 'string') : [];
  return members.length > 0 ? `covers member instance(s) ${members.join(', ')}` : null;
}

/** "manual snapshot of db-1" for a failing snapshot finding, or null. */
export function snapshotDetail(resource: Resource, outcome: RuleOutcome): string | null {
  if (outcome.status !== 'fail') return null;
  const type = text(resource.attributes.snapshotType);
  const source = text(resource.attributes.sourceIdentifier);
  const parts = [type ? `${type} snapshot` : null, source ? `of ${source}` : null].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : null;
}
