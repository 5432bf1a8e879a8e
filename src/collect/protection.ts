import type { Protection } from '../model/inventory.js';
import type { KeyResolution } from '../keys/resolver.js';

/**
 * The protection of a resource encrypted under a KMS key, from the resolver's
 * answer. Shared by every check so that "which key, which level" is decided
 * in one way everywhere.
 */
export function protectionFromKey(
  keyRef: string | null,
  resolution: KeyResolution,
  algorithm: string | null,
  notes: string[] = [],
): Protection {
  const allNotes = [...notes];
  if (resolution.note) allNotes.push(resolution.note);
  return {
    level: resolution.level,
    keyArn: resolution.keyArn,
    keyRef,
    algorithm,
    notes: allNotes,
  };
}

/** Not encrypted at rest. `notes` say which field proved it. */
export function unencrypted(notes: string[], keyRef: string | null = null): Protection {
  return { level: 'none', keyArn: null, keyRef, algorithm: null, notes };
}

/** Encrypted with a key AWS owns (SSE-S3, DynamoDB default, sse-rds, …). */
export function awsOwned(algorithm: string | null, notes: string[]): Protection {
  return { level: 'aws-owned', keyArn: null, keyRef: null, algorithm, notes };
}

/** The resource or its encryption setting could not be read. */
export function unreadable(reason: string, keyRef: string | null = null): Protection {
  return { level: 'unknown', keyArn: null, keyRef, algorithm: null, notes: [reason] };
}
