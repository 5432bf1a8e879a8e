import type { Json } from '../../model/inventory.js';

/**
 * Reads a bucket policy for the statements that refuse unencrypted uploads:
 * the judging layer's reading of the document the S3 check keeps as evidence
 * (evidence.BucketPolicy), as the KMS key-policy reading is
 * (src/services/kms/key-policy.ts). S3.UPLOAD_ENCRYPTION_POLICY judges what it finds.
 *
 * A statement counts when it is a Deny for every principal, covers PutObject
 * (s3:PutObject, s3:Put*, s3:* or *), and conditions on the
 * s3:x-amz-server-side-encryption header:
 *   - `Null: {"s3:x-amz-server-side-encryption": "true"}` denies uploads that
 *     name no encryption;
 *   - `StringNotEquals: {"s3:x-amz-server-side-encryption": "aws:kms"}` (or
 *     aws:kms:dsse) denies uploads that are not SSE-KMS.
 */
export interface BucketPolicyFacts {
  /** Some Deny refuses PutObject that does not name server-side encryption, or names anything but KMS. */
  deniesUnencryptedUploads: boolean;
  /** Some Deny refuses PutObject whose encryption is not aws:kms (or aws:kms:dsse). */
  requiresKms: boolean;
  /** Sids (or indexes) of the statements that decided it, for evidence. */
  statements: string[];
}

const SSE_HEADER = 's3:x-amz-server-side-encryption';

/** The facts of a policy, given as its text or as the parsed document the inventory keeps. */
export function analyseBucketPolicy(policy: string | Json): BucketPolicyFacts {
  const facts: BucketPolicyFacts = { deniesUnencryptedUploads: false, requiresKms: false, statements: [] };
  let doc: unknown = policy;
  if (typeof policy === 'string') {
    try {
      doc = JSON.parse(policy);
    } catch {
      return facts;
    }
  }
  const statements = asArray((doc as { Statement?: unknown })?.Statement);
  statements.forEach((raw, index) => {
    if (!raw || typeof raw !== 'object') return;
    const st = raw as Record<string, unknown>;
    if (st.Effect !== 'Deny') return;
    if (!coversEveryone(st.Principal)) return;
    if (!asArray(st.Action).some((a) => typeof a === 'string' && coversPutObject(a))) return;
    const conditions = (st.Condition ?? {}) as Record<string, Record<string, unknown>>;
    let decided = false;
    for (const [operator, block] of Object.entries(conditions)) {
      const values = lookup(block, SSE_HEADER);
      if (values === undefined) continue;
      const list = asArray(values).map(String);
      const op = operator.replace(/IfExists$/, '');
      if (op === 'Null' && list.includes('true')) {
        facts.deniesUnencryptedUploads = true;
        decided = true;
      }
      if (op === 'StringNotEquals' || op === 'StringNotEqualsIgnoreCase' || op === 'StringNotLike') {
        // Denying "not one of these" means only these may be used.
        facts.deniesUnencryptedUploads = true;
        if (list.length > 0 && list.every((v) => v === 'aws:kms' || v === 'aws:kms:dsse')) facts.requiresKms = true;
        decided = true;
      }
    }
    if (decided) facts.statements.push(typeof st.Sid === 'string' && st.Sid ? st.Sid : `#${index}`);
  });
  return facts;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function coversEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (principal && typeof principal === 'object') {
    const aws = (principal as Record<string, unknown>).AWS;
    return asArray(aws).includes('*');
  }
  return false;
}

function coversPutObject(action: string): boolean {
  const a = action.toLowerCase();
  return a === '*' || a === 's3:*' || a === 's3:putobject' || a === 's3:put*' || a === 's3:putobj*';
}

function lookup(block: Record<string, unknown>, key: string): unknown {
  for (const [k, v] of Object.entries(block ?? {})) {
    if (k.toLowerCase() === key) return v;
  }
  return undefined;
}
